#ifndef ASSAY_NATIVE_H
#define ASSAY_NATIVE_H

#include <stddef.h>
#include <stdint.h>

/// syncfs(2): flushes the file system holding `fd` (declared by glibc only under _GNU_SOURCE, so not
/// visible to Swift's Glibc module). Returns 0 or -1 with errno set.
int assay_syncfs(int fd);

#endif
