/* A QEMU TCG plugin that counts the guest instructions executed (all vCPUs) and appends
 * "SECONDS INSTRUCTIONS" to a file every 100 ms: the guest's work per request under load is the
 * rise over a wrk run divided by its requests. Written against QEMU 7.2's plugin API (version
 * 1); see README.md. */
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
typedef struct qemu_info_t qemu_info_t;
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

extern void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
    void (*cb)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb));
extern size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
extern void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb,
    enum qemu_plugin_op op, void *ptr, uint64_t imm);
extern void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id,
    void (*cb)(qemu_plugin_id_t id, void *userdata), void *userdata);

static volatile uint64_t executed;
static const char *output = "/tmp/insn-count.txt";

static void translated(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    (void)id;
    qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
                                             (void *)&executed, qemu_plugin_tb_n_insns(tb));
}

/* Appends the time and the count so far. */
static void write_count(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    FILE *file = fopen(output, "a");
    if (file) {
        fprintf(file, "%.3f %llu\n", now.tv_sec + now.tv_nsec / 1e9,
                (unsigned long long)executed);
        fclose(file);
    }
}

static void *report(void *unused)
{
    (void)unused;
    for (;;) {
        write_count();
        usleep(100000);
    }
    return NULL;
}

static void at_exit(qemu_plugin_id_t id, void *userdata)
{
    (void)id;
    (void)userdata;
    write_count();
}

__attribute__((visibility("default"))) int qemu_plugin_install(qemu_plugin_id_t id,
    const qemu_info_t *info, int argc, char **argv)
{
    (void)info;
    for (int index = 0; index < argc; index++) {
        if (argv[index][0] == 'o' && argv[index][1] == 'u' && argv[index][2] == 't'
            && argv[index][3] == '=') {
            output = argv[index] + 4;
        }
    }
    qemu_plugin_register_vcpu_tb_trans_cb(id, translated);
    qemu_plugin_register_atexit_cb(id, at_exit, NULL);
    pthread_t thread;
    pthread_create(&thread, NULL, report, NULL);
    return 0;
}
