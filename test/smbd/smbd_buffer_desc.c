/* SPDX-License-Identifier: MIT */
/* Buffer descriptor V1 arrays: exact bytes, partial descriptors, capacity
 * limits, round trips. */
#include <errno.h>

#include "smbd.h"
#include "t_smbd.h"

static const uint8_t two_desc[32] = {
	/* offset 0x0102030405060708, token 0x11223344, length 0x00001000 */
	0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,
	0x44, 0x33, 0x22, 0x11, 0x00, 0x10, 0x00, 0x00,
	/* offset 0xfedcba9876543210, token 0xdeadbeef, length 0xffffffff */
	0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe,
	0xef, 0xbe, 0xad, 0xde, 0xff, 0xff, 0xff, 0xff,
};

int main(void)
{
	const struct zc_smbd_buffer_desc d[2] = {
		{ 0x0102030405060708ULL, 0x11223344u, 0x1000u },
		{ 0xfedcba9876543210ULL, 0xdeadbeefu, 0xffffffffu },
	};
	struct zc_smbd_buffer_desc out[64], in[64];
	uint8_t buf[64 * 16 + 1];
	uint64_t seed = 42;

	memset(buf, 0xaa, sizeof(buf));
	T_EQ(zc_smbd_buffer_desc_encode(d, 2, buf, sizeof(buf)), 32);
	T_BYTES(buf, two_desc, 32);
	T_EQ(buf[32], 0xaa);
	T_EQ(zc_smbd_buffer_desc_encode(d, 2, buf, 31), -ENOBUFS);
	T_EQ(zc_smbd_buffer_desc_encode(d, 0, buf, 0), 0);

	memset(out, 0, sizeof(out));
	T_EQ(zc_smbd_buffer_desc_decode(two_desc, 32, out, 2), 2);
	T_EQ(out[0].offset == 0x0102030405060708ULL, 1);
	T_EQ(out[0].token, 0x11223344u);
	T_EQ(out[0].length, 0x1000u);
	T_EQ(out[1].offset == 0xfedcba9876543210ULL, 1);
	T_EQ(out[1].token, 0xdeadbeefu);
	T_EQ(out[1].length, 0xffffffffu);

	/* A partial descriptor anywhere: every non-multiple of 16 up to 32. */
	for (size_t n = 1; n < 32; n++) {
		void *cut;

		if (n == 16)
			continue;
		cut = t_dup(two_desc, n);
		T_EQ(zc_smbd_buffer_desc_decode(cut, n, out, 64), -EBADMSG);
		free(cut);
	}
	T_EQ(zc_smbd_buffer_desc_decode(two_desc, 16, out, 64), 1);
	T_EQ(zc_smbd_buffer_desc_decode(two_desc, 0, out, 64), 0);
	/* More descriptors than the caller has room for: nothing written. */
	out[0].token = 7;
	T_EQ(zc_smbd_buffer_desc_decode(two_desc, 32, out, 1), -ENOBUFS);
	T_EQ(out[0].token, 7);

	for (int round = 0; round < 100; round++) {
		size_t n = (size_t)(t_rand(&seed) % 65);
		uint8_t *wire;

		for (size_t i = 0; i < n; i++) {
			in[i].offset = t_rand(&seed);
			in[i].token = (uint32_t)t_rand(&seed);
			in[i].length = (uint32_t)t_rand(&seed);
		}
		T_EQ(zc_smbd_buffer_desc_encode(in, n, buf, sizeof(buf)),
		     (long long)(n * 16));
		wire = t_dup(buf, n * 16);
		T_EQ(zc_smbd_buffer_desc_decode(wire, n * 16, out, 64),
		     (long long)n);
		for (size_t i = 0; i < n; i++) {
			T_CHECK(out[i].offset == in[i].offset);
			T_EQ(out[i].token, in[i].token);
			T_EQ(out[i].length, in[i].length);
		}
		free(wire);
	}
	return t_result("smbd_buffer_desc");
}
