// syncfs(2) and memmem(3) for Swift: glibc declares them only under _GNU_SOURCE; wmemchr(3) for 32-bit units.
#define _GNU_SOURCE
#include <string.h>
#include <wchar.h>
#include <unistd.h>
#include "assay_native.h"

int assay_syncfs(int fd) { return syncfs(fd); }

const void *assay_memmem(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len) {
    return memmem(haystack, haystack_len, needle, needle_len);
}

const uint32_t *assay_find_unit(const uint32_t *units, uint32_t unit, size_t count) {
    _Static_assert(sizeof(wchar_t) == sizeof(uint32_t), "wchar_t is 32 bits on the platforms Assay builds for");
    return (const uint32_t *)wmemchr((const wchar_t *)units, (wchar_t)unit, count);
}
