#ifndef ASSAY_NATIVE_H
#define ASSAY_NATIVE_H

#include <stddef.h>
#include <stdint.h>

/// The 64 round constants of FIPS 180-4 §4.2.2 (shared with the portable Swift rounds).
extern const uint32_t assay_sha256_k[64];

/// 1 when this CPU has the x86 SHA extensions (and SSE4.1), so `assay_sha256_ni_blocks` may be called.
int assay_sha256_ni_available(void);

/// Runs the SHA-256 compression function over `blocks` 64-byte blocks at `data`, updating `state`
/// (the eight working words h0…h7, native order). Only when `assay_sha256_ni_available()`.
void assay_sha256_ni_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);

/// syncfs(2): flushes the file system holding `fd` (declared by glibc only under _GNU_SOURCE, so not
/// visible to Swift's Glibc module). Returns 0 or -1 with errno set.
int assay_syncfs(int fd);

#endif
