/* Stand-ins for LibreQoS's XDP and TC programs in the lab: attach, pass everything.
 * Built with: clang -O2 -target bpf -c stand-in.bpf.c -o stand-in.bpf.o */
#define SEC(n) __attribute__((section(n), used))
struct xdp_md;
struct __sk_buff;
SEC("xdp") int xdp_pass(struct xdp_md *ctx) { return 2; }
SEC("tc") int tc_pass(struct __sk_buff *skb) { return 0; }
char _license[] SEC("license") = "GPL";
