// syncfs(2) and memmem(3) for Swift: glibc declares them only under _GNU_SOURCE.
#define _GNU_SOURCE
#include <string.h>
#include <unistd.h>
#include "assay_native.h"

int assay_syncfs(int fd) { return syncfs(fd); }

const void *assay_memmem(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len) {
    return memmem(haystack, haystack_len, needle, needle_len);
}
