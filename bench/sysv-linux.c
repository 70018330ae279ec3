/*
 * The Linux baseline of the System V IPC benchmark (bench/sysv.bench.ts):
 * the kernel's own message queues and semaphores, ping-pong between a
 * parent and a child made with fork().
 *
 *   msg  the parent sends type 1 and receives type 2 on one queue; the
 *        child receives type 1 and answers type 2 (msgsnd + msgrcv each way)
 *   sem  the parent raises semaphore 0 and waits on 1; the child waits on 0
 *        and raises 1
 *
 * Usage: sysv-linux ROUNDS. Prints one line per test:
 *   msg ROUNDS SECONDS
 *   sem ROUNDS SECONDS
 * Exits 2 with a message on stderr when System V IPC is unavailable.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct message {
    long mtype;
    char mtext[8];
};

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void die(const char *what) {
    fprintf(stderr, "sysv-linux: %s: %s\n", what, strerror(errno));
    exit(1);
}

static int wait_child(pid_t child) {
    int status;
    if (waitpid(child, &status, 0) < 0) die("waitpid");
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static double msg_pingpong(long rounds) {
    int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    if (q < 0) die("msgget");
    struct message m = { 1, "ping" };
    pid_t child = fork();
    if (child < 0) die("fork");
    if (child == 0) {
        for (long i = 0; i < rounds; i++) {
            if (msgrcv(q, &m, sizeof m.mtext, 1, 0) < 0) _exit(1);
            m.mtype = 2;
            if (msgsnd(q, &m, sizeof m.mtext, 0) < 0) _exit(1);
        }
        _exit(0);
    }
    double start = now();
    for (long i = 0; i < rounds; i++) {
        m.mtype = 1;
        if (msgsnd(q, &m, sizeof m.mtext, 0) < 0) die("msgsnd");
        if (msgrcv(q, &m, sizeof m.mtext, 2, 0) < 0) die("msgrcv");
    }
    double elapsed = now() - start;
    if (wait_child(child) < 0) fprintf(stderr, "sysv-linux: msg child failed\n");
    msgctl(q, IPC_RMID, NULL);
    return elapsed;
}

static double sem_pingpong(long rounds) {
    int s = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
    if (s < 0) die("semget");
    struct sembuf up0 = { 0, 1, 0 }, down0 = { 0, -1, 0 }, up1 = { 1, 1, 0 }, down1 = { 1, -1, 0 };
    pid_t child = fork();
    if (child < 0) die("fork");
    if (child == 0) {
        for (long i = 0; i < rounds; i++) {
            if (semop(s, &down0, 1) < 0) _exit(1);
            if (semop(s, &up1, 1) < 0) _exit(1);
        }
        _exit(0);
    }
    double start = now();
    for (long i = 0; i < rounds; i++) {
        if (semop(s, &up0, 1) < 0) die("semop");
        if (semop(s, &down1, 1) < 0) die("semop");
    }
    double elapsed = now() - start;
    if (wait_child(child) < 0) fprintf(stderr, "sysv-linux: sem child failed\n");
    semctl(s, 0, IPC_RMID);
    return elapsed;
}

int main(int argc, char **argv) {
    long rounds = argc > 1 ? atol(argv[1]) : 100000;
    if (rounds <= 0) {
        fprintf(stderr, "usage: sysv-linux ROUNDS\n");
        return 2;
    }
    int probe = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    if (probe < 0) {
        fprintf(stderr, "sysv-linux: System V IPC unavailable: %s\n", strerror(errno));
        return 2;
    }
    msgctl(probe, IPC_RMID, NULL);
    printf("msg %ld %.6f\n", rounds, msg_pingpong(rounds));
    printf("sem %ld %.6f\n", rounds, sem_pingpong(rounds));
    return 0;
}
