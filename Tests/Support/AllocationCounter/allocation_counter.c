// Counts heap allocations per thread by interposing the C allocator in the test executable.
// Every call is forwarded to glibc's own entry points (__libc_*), so no dlsym is needed.
#include "allocation_counter.h"
#include <stddef.h>
#include <errno.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static _Thread_local uint64_t counted_calls;
static _Thread_local uint64_t counted_bytes;

static inline void count(size_t n) {
    counted_calls += 1;
    counted_bytes += n;
}

void allocation_counter_reset(void) {
    counted_calls = 0;
    counted_bytes = 0;
}

allocation_counts allocation_counter_read(void) {
    allocation_counts c = {counted_calls, counted_bytes};
    return c;
}

void *malloc(size_t n) {
    count(n);
    return __libc_malloc(n);
}

void *calloc(size_t k, size_t n) {
    count(k * n);
    return __libc_calloc(k, n);
}

void *realloc(void *p, size_t n) {
    count(n);
    return __libc_realloc(p, n);
}

void *aligned_alloc(size_t alignment, size_t n) {
    count(n);
    return __libc_memalign(alignment, n);
}

void *memalign(size_t alignment, size_t n) {
    count(n);
    return __libc_memalign(alignment, n);
}

int posix_memalign(void **out, size_t alignment, size_t n) {
    count(n);
    void *p = __libc_memalign(alignment, n);
    if (p == NULL && n != 0) return ENOMEM;
    *out = p;
    return 0;
}

void free(void *p) { __libc_free(p); }
