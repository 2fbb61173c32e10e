// SPDX-License-Identifier: GPL-2.0
/* Access paths through arrays, anonymous unions and structs, and a pointer
 * used as an array: the accessor strings (0:4:1:1:0:0:2 ...) get long and
 * mix member and array indices. Types are a subset of the kernel's conntrack
 * and socket structs. */
#include "progs.h"

union nf_inet_addr {
	__u32 all[4];
	__be32 ip;
	__be32 ip6[4];
} __attribute__((preserve_access_index));

struct nf_conntrack_man {
	union nf_inet_addr u3;
	__u16 l3num;
} __attribute__((preserve_access_index));

struct nf_conntrack_tuple {
	struct nf_conntrack_man src;
	struct {
		union nf_inet_addr u3;
		union {
			__be16 all;
			struct {
				__be16 port;
			} tcp;
			struct {
				__u8 type;
				__u8 code;
			} icmp;
		} u;
		__u8 protonum;
		__u8 dir;
	} dst;
} __attribute__((preserve_access_index));

struct nf_conntrack_tuple_hash {
	struct nf_conntrack_tuple tuple;
} __attribute__((preserve_access_index));

struct nf_conn {
	struct nf_conntrack_tuple_hash tuplehash[2];
	unsigned long status;
	__u32 mark;
} __attribute__((preserve_access_index));

struct sock_common {
	union {
		__u64 skc_addrpair;
		struct {
			__be32 skc_daddr;
			__be32 skc_rcv_saddr;
		};
	};
	union {
		unsigned int skc_hash;
		__u16 skc_u16hashes[2];
	};
	unsigned short skc_family;
} __attribute__((preserve_access_index));

/* Local-only type with a 2-D array: relocations on it are meant to fail to
 * find a kernel candidate. */
struct corelab_grid {
	int cell[3][4];
	struct {
		char tag[8];
	} rows[2];
} __attribute__((preserve_access_index));

__u64 out[16];

SEC("kprobe/nf_confirm")
int conntrack(struct nf_conn *ct)
{
	out[0] = BPF_CORE_READ(ct, tuplehash[1].tuple.src.u3.ip6[2]);
	out[1] = BPF_CORE_READ(ct, tuplehash[0].tuple.dst.protonum);
	out[2] = BPF_CORE_READ(ct, tuplehash[0].tuple.dst.u.tcp.port);
	out[3] = BPF_CORE_READ(ct, tuplehash[1].tuple.dst.u.icmp.code);
	out[4] = bpf_core_field_size(ct->tuplehash);
	out[5] = bpf_core_field_offset(ct->tuplehash[1]);
	out[6] = bpf_core_field_exists(ct->tuplehash[1].tuple.dst.dir);
	out[7] = bpf_core_field_size(ct->tuplehash[0].tuple.src.u3.all);
	return 0;
}

SEC("kprobe/tcp_v4_connect")
int sockaddr(struct sock_common *sk)
{
	/* A pointer used as an array: index 1 scales by the target's struct size. */
	out[8] = BPF_CORE_READ(&sk[1], skc_family);
	out[9] = BPF_CORE_READ(sk, skc_daddr);
	out[10] = BPF_CORE_READ(sk, skc_u16hashes[1]);
	return 0;
}

SEC("kprobe/corelab_nothing")
int grid(struct corelab_grid *g)
{
	out[11] = BPF_CORE_READ(g, cell[2][3]);
	out[12] = BPF_CORE_READ(g, rows[1].tag[5]);
	out[13] = bpf_core_field_offset(g->rows[1].tag);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
