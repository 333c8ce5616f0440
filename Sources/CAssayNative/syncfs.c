// syncfs(2) for Swift: glibc declares it only under _GNU_SOURCE.
#define _GNU_SOURCE
#include <unistd.h>
#include "assay_native.h"

int assay_syncfs(int fd) { return syncfs(fd); }
