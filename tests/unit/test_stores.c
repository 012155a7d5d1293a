/* test_stores.c - the data-store table (ingest/stores.c): which image references name which store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ingest/ingest.h"

static void images_table(void **state)
{
	(void)state;
	static const struct {
		const char *image, *product; /* NULL: no store */
	} cases[] = {
		{"redis", "redis"},
		{"redis:7.2-alpine", "redis"},
		{"docker.io/library/redis:7", "redis"},
		{"docker.io/bitnami/redis:7.2.4-debian-12-r9", "redis"},
		{"redis@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "redis"},
		{"valkey/valkey:8", "redis"},
		{"oliver006/redis_exporter:v1.62.0", NULL},
		{"localhost:5000/postgres", "postgres"},
		{"registry.example:5000/team/mongo:7", "mongo"},
		{"postgis/postgis:16-3.4", "postgres"},
		{"bitnami/postgresql:16", "postgres"},
		{"mysql/mysql-server:8.0", "mysql"},
		{"mariadb:11", "mysql"},
		{"confluentinc/cp-kafka:7.6.1", "kafka"},
		{"docker.redpanda.com/redpandadata/redpanda:v24.1.1", "kafka"},
		{"rabbitmq:3-management", "rabbitmq"},
		{"docker.elastic.co/elasticsearch/elasticsearch:8.13.4", "elasticsearch"},
		{"opensearchproject/opensearch:2", "elasticsearch"},
		{"mcr.microsoft.com/mssql/server:2022-latest", "mssql"},
		{"gvenzl/oracle-free:23-slim", "oracle"},
		{"hashicorp/vault:1.16", "vault"},
		{"quay.io/coreos/etcd:v3.5.13", "etcd"},
		{"clickhouse/clickhouse-server:24.3", "clickhouse"},
		{"minio/minio", "minio"},
		{"nginx:1.27", NULL},
		{"weaveworksdemos/user-db:0.3.0", NULL}, /* a custom image: only its port can say */
		{"server", NULL},
		{"", NULL},
		{"/", NULL},
		{"@", NULL},
		{":::", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = tm_stores__product(cases[i].image);
		if (!cases[i].product ? got != NULL : !got || strcmp(got, cases[i].product) != 0)
			fail_msg("%s: got %s, want %s", cases[i].image, got ? got : "(none)",
				 cases[i].product ? cases[i].product : "(none)");
	}
	char long_ref[600];
	memset(long_ref, 'a', sizeof(long_ref) - 1);
	long_ref[sizeof(long_ref) - 1] = '\0';
	assert_null(tm_stores__product(long_ref)); /* longer than any reference read: not a store */
	assert_null(tm_stores__product(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(images_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
