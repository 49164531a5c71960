#ifndef OSPF_SPEAKER_CPCAP_SHIM_H
#define OSPF_SPEAKER_CPCAP_SHIM_H
#include <pcap/pcap.h>
#endif
