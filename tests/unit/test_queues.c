/* test_queues.c - the task workers a command line starts (ingest/queues.c), table-driven: the
 * shapes real projects write (compose strings and lists, Kubernetes command and args, `sh -c`
 * strings), and the commands beside them that start no worker. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ingest/ingest.h"

struct row {
	const char *items[6]; /* NULL-ended */
	size_t first_cmd;     /* where the command part starts (SIZE_MAX: no entrypoint part) */
	const char *image;
	const char *want;     /* NULL: no worker */
	size_t want_item;
};

static const struct row rows[] = {
	/* Airflow's official compose: the image's entrypoint runs `airflow <command>` */
	{{"celery worker"}, 0, "apache/airflow:2.10.3", "celery worker", 0},
	{{"webserver"}, 0, "apache/airflow:2.10.3", NULL, 0},
	{{"scheduler"}, 0, "apache/airflow:2.10.3", NULL, 0},
	{{"celery flower"}, 0, "apache/airflow:2.10.3", NULL, 0},
	{{"celery", "worker"}, 0, "apache/airflow:2.10.3", "celery worker", 1},
	/* puckel/docker-airflow and n8n: `worker` alone, the image's entrypoint's argument */
	{{"worker"}, 0, "puckel/docker-airflow:1.10.9", "airflow worker", 0},
	{{"worker"}, 0, "docker.n8n.io/n8nio/n8n:1.80.0", "n8n worker", 0},
	{{"worker"}, 0, "registry.example/app:1", "worker", 0},
	{{"/docker-entrypoint.sh", "worker"}, 1, "n8nio/n8n", "n8n worker", 1},
	/* `worker` after a program that is no worker runner is an argument, not a worker */
	{{"python", "main.py", "worker"}, 0, "python:3.12", NULL, 0},
	{{"/docker-entrypoint.sh"}, 1, "n8nio/n8n", NULL, 0},
	/* a start script handed the role (Superset's `docker-bootstrap.sh worker`) */
	{{"/app/docker/docker-bootstrap.sh", "worker"}, 0, "apache/superset:4.1.1", "worker", 1},
	{{"/app/docker/docker-bootstrap.sh", "beat"}, 0, "apache/superset:4.1.1", NULL, 0},
	{{"./run.sh worker --concurrency 4"}, 0, "app", "worker", 0},
	{{"./run.sh", "web", "worker"}, 0, "app", NULL, 0},
	/* Kubernetes: command, then args; a shell string's words */
	{{"/bin/sh", "-c", "sleep 5; n8n worker"}, 1, "n8nio/n8n", "n8n worker", 2},
	{{"/bin/sh", "-c", "sleep 5; n8n start"}, 1, "n8nio/n8n", NULL, 0},
	{{"bash", "-c", "exec \\\nairflow celery worker"}, 1, "apache/airflow:2.9.3", "airflow celery worker", 2},
	{{"airflow", "worker"}, 0, "apache/airflow:1.10.15", "airflow worker", 1},
	{{"airflow", "celery", "flower"}, 0, "apache/airflow:2.9.3", NULL, 0},
	/* Celery applications */
	{{"celery -A proj worker -l INFO -Q default,emails"}, 0, "app", "celery worker", 0},
	{{"celery", "--app=config.celery_app", "worker", "--loglevel=info"}, 0, "app", "celery worker", 2},
	{{"python -m celery -A tasks worker"}, 0, "app", "celery worker", 0},
	{{"celery -A proj beat -l info"}, 0, "app", NULL, 0},
	{{"sh", "-c", "celery -A proj beat & celery -A proj worker"}, 0, "app", "celery worker", 2},
	{{"celery -A proj beat; echo worker"}, 0, "app", NULL, 0},
	{{"/start-celeryworker"}, 0, "app", NULL, 0},
	{{"uv run celery -A app.worker worker"}, 0, "app", "celery worker", 0},
	/* RQ, Sidekiq, Dramatiq, Huey */
	{{"rq worker --url redis://redis:6379 high default low"}, 0, "app", "rq worker", 0},
	{{"rq", "worker-pool", "-n", "3"}, 0, "app", "rq worker", 1},
	{{"python manage.py rqworker default"}, 0, "app", "rqworker", 0},
	{{"bundle exec sidekiq -C config/sidekiq.yml"}, 0, "rails-app", "sidekiq", 0},
	{{"bundle", "exec", "sidekiq"}, 0, "rails-app", "sidekiq", 2},
	{{"bundle exec rails server -b 0.0.0.0"}, 0, "rails-app", NULL, 0},
	{{"dramatiq app.tasks --processes 2"}, 0, "app", "dramatiq", 0},
	{{"huey_consumer.py main.huey"}, 0, "app", "huey_consumer", 0},
	{{"\"celery\"", "'worker'"}, 0, "app", "celery worker", 1},
	{{"redis-server --requirepass x"}, 0, "redis:7", NULL, 0},
	{{NULL}, 0, "app", NULL, 0},
};

static void worker_table(void **state)
{
	(void)state;
	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		size_t n = 0;
		while (n < 6 && rows[r].items[n])
			n++;
		size_t at = 99;
		const char *got = tm_ingest__task_worker(rows[r].items, n, rows[r].first_cmd, rows[r].image, &at);
		if ((got == NULL) != (rows[r].want == NULL) || (got && strcmp(got, rows[r].want) != 0) ||
		    (got && at != rows[r].want_item)) {
			print_error("row %zu (%s): got %s at %zu, want %s at %zu\n", r, rows[r].items[0] ? rows[r].items[0] : "-",
				    got ? got : "none", at, rows[r].want ? rows[r].want : "none", rows[r].want_item);
			fail();
		}
	}
}

/* A command line longer than the words read: bounded, and a worker past the bound is not looked for. */
static void long_line_bounded(void **state)
{
	(void)state;
	static char line[64 * 1024];
	size_t len = 0;
	while (len + 4 < sizeof(line) - 32) {
		memcpy(line + len, "x y ", 4);
		len += 4;
	}
	memcpy(line + len, "celery worker", 14);
	const char *items[] = {line};
	assert_null(tm_ingest__task_worker(items, 1, 0, "app", NULL));
	const char *sep[] = {";;;;&&&||||"};
	assert_null(tm_ingest__task_worker(sep, 1, 0, "app", NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(worker_table),
		cmocka_unit_test(long_line_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
