#ifndef OSPF_SPEAKER_ALLOCATION_COUNTER_H
#define OSPF_SPEAKER_ALLOCATION_COUNTER_H
#include <stdint.h>

/// Allocations made by the calling thread since it last called allocation_counter_reset():
/// a count of calls and the bytes requested. Test support only: the test executable
/// interposes malloc and friends and forwards them to glibc.
typedef struct {
    uint64_t calls;
    uint64_t bytes;
} allocation_counts;

void allocation_counter_reset(void);
allocation_counts allocation_counter_read(void);

#endif
