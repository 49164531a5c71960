/* Random loss (and duplication) of OSPF packets for the live tests (this kernel
 * has no netem). Drops LOSS_PCT percent of the IPv4 OSPF (protocol 89) packets
 * through the hook, chosen with bpf_get_prandom_u32(); everything else passes.
 * OSPF Hellos (type 1) pass too unless DROP_HELLO is 1, so the loss hits flooding
 * and acknowledgements without tearing adjacencies down. DUP_PCT percent of the
 * packets that pass are also duplicated (bpf_clone_redirect to the same device
 * and direction; INGRESS=1 when attached on ingress); the copies are marked so
 * they are neither dropped nor duplicated again.
 *
 *   clang -O2 -target bpf -DLOSS_PCT=30 [-DDUP_PCT=10 -DINGRESS=1] -c ospf-loss.bpf.c -o ospf-loss.bpf.o
 *   tc qdisc add dev X clsact
 *   tc filter add dev X egress bpf da obj ospf-loss.bpf.o sec tc
 *
 * Self-contained: no libbpf headers. The __sk_buff fields used are those of
 * linux/bpf.h (data at offset 76, data_end at 80); direct packet access. */
#ifndef LOSS_PCT
#define LOSS_PCT 30
#endif
#ifndef DROP_HELLO
#define DROP_HELLO 0
#endif
#ifndef DUP_PCT
#define DUP_PCT 0
#endif
#ifndef INGRESS
#define INGRESS 0
#endif
#define COPY_MARK 0x0D0Bu
#define SEC(n) __attribute__((section(n), used))

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;

struct __sk_buff {
    u32 len, pkt_type, mark, queue_mapping, protocol, vlan_present, vlan_tci, vlan_proto, priority,
        ingress_ifindex, ifindex, tc_index, cb[5], hash, tc_classid, data, data_end;
};

static u32 (*bpf_get_prandom_u32)(void) = (void *)7;
static long (*bpf_clone_redirect)(struct __sk_buff *skb, u32 ifindex, unsigned long long flags) = (void *)13;

#define TC_ACT_OK 0
#define TC_ACT_SHOT 2

SEC("tc") int ospf_loss(struct __sk_buff *skb) {
    u8 *data = (u8 *)(long)skb->data;
    u8 *end = (u8 *)(long)skb->data_end;
    /* Ethernet (14) + IPv4 header (ihl) + the OSPF header's type byte. */
    if (data + 14 + 20 > end) return TC_ACT_OK;
    if (data[12] != 0x08 || data[13] != 0x00) return TC_ACT_OK;   /* not IPv4 */
    u8 *ip = data + 14;
    if ((ip[0] >> 4) != 4 || ip[9] != 89) return TC_ACT_OK;        /* not OSPF */
    u32 ihl = (ip[0] & 0x0f) * 4;
    if (ihl < 20 || ihl > 60) return TC_ACT_OK;
    u8 *ospf = ip + ihl;
    if (ospf + 2 > end) return TC_ACT_OK;
    if (skb->mark == COPY_MARK) return TC_ACT_OK;                  /* a copy made below */
    if (!(ospf[1] == 1 && !DROP_HELLO) && bpf_get_prandom_u32() % 100 < LOSS_PCT) return TC_ACT_SHOT;
    if (DUP_PCT > 0 && bpf_get_prandom_u32() % 100 < DUP_PCT) {
        skb->mark = COPY_MARK;
        bpf_clone_redirect(skb, skb->ifindex, INGRESS ? 1 : 0);
        skb->mark = 0;
    }
    return TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";
