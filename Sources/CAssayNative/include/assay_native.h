#ifndef ASSAY_NATIVE_H
#define ASSAY_NATIVE_H

#include <stddef.h>
#include <stdint.h>

/// syncfs(2): flushes the file system holding `fd` (declared by glibc only under _GNU_SOURCE, so not
/// visible to Swift's Glibc module). Returns 0 or -1 with errno set.
int assay_syncfs(int fd);

/// memmem(3): where `needle` first occurs in `haystack`, or NULL (glibc's is vectorised; declared only under
/// _GNU_SOURCE, as syncfs).
const void *assay_memmem(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len);

/// wmemchr(3) over 32-bit units: the first of `count` units at `units` equal to `unit`, or NULL (glibc's is
/// vectorised). Takes uint32_t so that Swift passes `Unicode.Scalar` storage without a `wchar_t` cast.
const uint32_t *assay_find_unit(const uint32_t *units, uint32_t unit, size_t count);

#endif
