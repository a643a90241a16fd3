/* vpi_tessera.c - the Icarus Verilog front end: a VPI module in C (built with
 * iverilog-vpi, loaded with `vvp -m tessera_vpi`) that runs the shared
 * runners - tsr_die_main (verif/run_die.c) or tsr_mesh_main
 * (verif/run_mesh.c), the same code the Verilator front end runs - on the
 * generated testbench top tessera_tb_die or tessera_tb_mesh (gen/emit_tb.c).
 *
 * The simulator owns time, and the harness wants to call tick(). So the
 * harness runs as a coroutine on a stack of its own (ucontext), and the two
 * hand control back and forth: one thread, exactly one of them running at any
 * moment, and only the simulator's side calls VPI. The testbench's initial
 * block loops on
 *     op = $tessera_sync;   1: one clock cycle, 2: let inputs settle, 0: done
 * $tessera_sync copies the outputs into plain C memory and switches to the
 * harness. The harness reads the copies and writes plain C
 * copies of the inputs until it calls tick() (one clock cycle), reads an
 * output after changing an input (a settle, so that outputs always reflect
 * the inputs as in Verilator), or returns (done); each switches back. Then
 * $tessera_sync drives
 * the inputs that changed and returns what to do. docs/simulators.md, "The
 * Icarus front end".
 *
 * VPI forces module-level state (the callbacks carry no context of ours): it
 * is all in one struct, `tb`.
 *
 * Flops without a reset start at X in Icarus (the Verilator front end draws
 * them from the seed). Any X or Z the harness reads where a value is due -
 * a status bit, the read data while rvalid is high, the trace port while
 * trace_valid is high - is reported and fails the run. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>
#include <vpi_user.h>

#include "run.h"
#include "run_mesh.h"

enum { OP_DONE = 0, OP_TICK = 1, OP_SETTLE = 2 };

/* The testbench's variables, by name (gen/emit_tb.c). The die has no
 * host_bcast_i and host_die_i. */
enum { IN_RST, IN_REQ, IN_WE, IN_BCAST, IN_DIE, IN_ADDR, IN_WDATA, N_IN };
static const char *const in_names[N_IN] = {"rst_ni",       "host_req_i", "host_we_i",
                                           "host_bcast_i", "host_die_i", "host_addr_i",
                                           "host_wdata_i"};
enum {
  OUT_RVALID,
  OUT_RDATA,
  OUT_BUSY,
  OUT_HALTED,
  OUT_ERROR,
  OUT_TVALID,
  OUT_PC,
  OUT_OP,
  OUT_CYCLE,
  N_OUT
};
static const char *const out_names[N_OUT] = {"host_rvalid_o", "host_rdata_o", "busy_o",
                                             "halted_o",      "error_o",      "trace_valid_o",
                                             "trace_pc_o",    "trace_op_o",   "trace_cycle_o"};

typedef struct {
  vpiHandle h;
  int bits;
  uint32_t *a, *b; /* the sampled value, 32 bits a word: value and X/Z bits */
} out_port;

static struct {
  int mesh, dies; /* tessera_tb_mesh and its dies; tessera_tb_die: 0, 1 */
  char top[256];  /* the testbench's scope */
  int argc;
  char **argv;
  /* the two sides and what the harness asked for */
  ucontext_t sim, harness;
  char *stack;
  size_t stack_len;
  int started, request, status;
  /* the inputs: what the harness set, and which of them the design has yet to see */
  vpiHandle in[N_IN];
  uint32_t in_val[N_IN];
  unsigned in_set, in_dirty; /* a bit per input: set once, changed since driven */
  int stale;                 /* an input changed after the outputs were sampled */
  out_port out[N_OUT];
  uint64_t cycles; /* clock cycles run */
  long x_reads;    /* values read with X or Z bits */
} tb;

/* The harness's stack: its runners keep their arrays on it. */
#define HARNESS_STACK (64u << 20)

/* ---- the hand-over ------------------------------------------------------------ */

/* Harness side: hand the simulator a request; returns when it is done. */
static void to_simulator(int request) {
  tb.request = request;
  swapcontext(&tb.harness, &tb.sim);
}

/* Simulator side: run the harness until its next request. */
static int to_harness(void) {
  swapcontext(&tb.sim, &tb.harness);
  return tb.request;
}

/* ---- the simulator's side: VPI ------------------------------------------------------ */

static void sample(void) {
  for (int k = 0; k < N_OUT; k++) {
    out_port *p = &tb.out[k];
    s_vpi_value v = {.format = vpiVectorVal};
    vpi_get_value(p->h, &v);
    for (int w = 0; w < (p->bits + 31) / 32; w++) {
      uint32_t mask = p->bits - 32 * w >= 32 ? ~0u : (1u << (p->bits - 32 * w)) - 1;
      p->a[w] = (uint32_t)v.value.vector[w].aval & mask;
      p->b[w] = (uint32_t)v.value.vector[w].bval & mask;
    }
  }
  tb.stale = 0;
}

static void drive(void) {
  for (int k = 0; k < N_IN; k++) {
    if (!(tb.in_dirty & (1u << k)) || !tb.in[k]) continue;
    s_vpi_vecval vec = {.aval = (PLI_INT32)tb.in_val[k], .bval = 0};
    s_vpi_value v = {.format = vpiVectorVal};
    v.value.vector = &vec;
    vpi_put_value(tb.in[k], &v, NULL, vpiNoDelay);
  }
  tb.in_dirty = 0;
}

/* ---- the harness's side: plain C copies of the ports --------------------------------- */

static void set_input(int k, uint32_t value) {
  if ((tb.in_set & (1u << k)) && tb.in_val[k] == value) return;
  tb.in_val[k] = value;
  tb.in_set |= 1u << k;
  tb.in_dirty |= 1u << k;
  tb.stale = 1;
}

/* Bits [idx * width, +width) of output k (width at most 32); X or Z bits
 * there are reported (the first few) and counted. */
static uint32_t field(int k, int idx, int width) {
  const out_port *p = &tb.out[k];
  uint32_t v = 0, x = 0;
  for (int i = 0; i < width; i++) {
    int bit = idx * width + i;
    v |= ((p->a[bit / 32] >> (bit % 32)) & 1u) << i;
    x |= ((p->b[bit / 32] >> (bit % 32)) & 1u) << i;
  }
  if (x && tb.x_reads++ < 5) {
    fprintf(stderr, "X-PROPAGATION %s.%s", tb.top, out_names[k]);
    if (tb.mesh && k >= OUT_BUSY) fprintf(stderr, " (die %d)", idx); /* a per-die output */
    fprintf(stderr, ": X or Z bits 0x%x after clock cycle %llu\n", x,
            (unsigned long long)tb.cycles);
  }
  return v;
}

static void settle(void) {
  if (tb.stale) to_simulator(OP_SETTLE);
}

static void tick(void *ctx) {
  (void)ctx;
  to_simulator(OP_TICK);
}

static void reset(void *ctx) {
  for (int k = IN_REQ; k < N_IN; k++)
    set_input(k, 0);
  set_input(IN_RST, 0);
  for (int i = 0; i < 4; i++)
    tick(ctx);
  set_input(IN_RST, 1);
  tick(ctx);
}

static void die_set_host(void *ctx, int req, int we, uint32_t addr, uint32_t wdata) {
  (void)ctx;
  set_input(IN_REQ, (uint32_t)req);
  set_input(IN_WE, (uint32_t)we);
  set_input(IN_ADDR, addr);
  set_input(IN_WDATA, wdata);
}

static void mesh_set_host(void *ctx, int req, int we, int bcast, uint32_t die, uint32_t addr,
                          uint32_t wdata) {
  die_set_host(ctx, req, we, addr, wdata);
  set_input(IN_BCAST, (uint32_t)bcast);
  set_input(IN_DIE, die);
}

/* Die d's status and trace port; the pc, opcode and cycle only while valid. */
static void die_status(int d, tsr_die_outputs *o) {
  o->busy = (int)field(OUT_BUSY, d, 1);
  o->halted = (int)field(OUT_HALTED, d, 1);
  o->error = (int)field(OUT_ERROR, d, 1);
  o->trace_valid = (int)field(OUT_TVALID, d, 1);
  o->trace_pc = o->trace_valid ? field(OUT_PC, d, 16) : 0;
  o->trace_op = o->trace_valid ? field(OUT_OP, d, 8) : 0;
  o->trace_cycle = o->trace_valid ? field(OUT_CYCLE, d, 32) : 0;
}

static int read_data(uint32_t *rdata) {
  int valid = (int)field(OUT_RVALID, 0, 1);
  *rdata = valid ? field(OUT_RDATA, 0, 32) : 0;
  return valid;
}

static void die_outputs(void *ctx, tsr_die_outputs *o) {
  (void)ctx;
  settle();
  die_status(0, o);
  o->rvalid = read_data(&o->rdata);
}

static int mesh_rvalid(void *ctx, uint32_t *rdata) {
  (void)ctx;
  settle();
  return read_data(rdata);
}

static void mesh_die(void *ctx, int d, tsr_die_outputs *o) {
  (void)ctx;
  settle();
  die_status(d, o);
  o->rvalid = 0;
  o->rdata = 0;
}

/* The simulation outlives a program: the next one resets the same design
 * (its flops without reset keep the previous program's values, not X). */
static void destroy(void *ctx) {
  (void)ctx;
}

static tsr_sim *die_create(uint64_t seed) {
  (void)seed; /* nothing is random in Icarus: flops without reset start at X */
  tsr_sim *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->reset = reset;
  s->set_host = die_set_host;
  s->tick = tick;
  s->outputs = die_outputs;
  s->destroy = destroy;
  return s;
}

static tsr_mesh_sim *mesh_create(const tsr_config *cfg, uint64_t seed) {
  (void)seed;
  int dies = (int)(cfg->mesh.rows * cfg->mesh.cols);
  if (dies != tb.dies) {
    fprintf(stderr, "tessera_vpi: the configuration has %d dies, %s has %d\n", dies, tb.top,
            tb.dies);
    return NULL;
  }
  tsr_mesh_sim *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->dies = dies;
  s->reset = reset;
  s->set_host = mesh_set_host;
  s->tick = tick;
  s->rvalid = mesh_rvalid;
  s->die = mesh_die;
  s->waves = NULL;
  s->destroy = destroy;
  return s;
}

/* The harness coroutine: the runner, then back to the simulator for good
 * (uc_link). */
static void harness(void) {
  static const tsr_mesh_front_end mesh = {"tessera-mesh", 0, mesh_create};
  tb.status = tb.mesh ? tsr_mesh_main(tb.argc, tb.argv, &mesh)
                      : tsr_die_main(tb.argc, tb.argv, die_create);
  fflush(stdout);
  tb.request = OP_DONE;
}

/* A stack with a guard page below it: an overflow faults instead of
 * overwriting the heap. */
static int make_stack(void) {
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  tb.stack_len = HARNESS_STACK + page;
  tb.stack = mmap(NULL, tb.stack_len, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (tb.stack == MAP_FAILED) return -1;
  if (mprotect(tb.stack, page, PROT_NONE)) return -1;
  if (getcontext(&tb.harness)) return -1;
  tb.harness.uc_stack.ss_sp = tb.stack + page;
  tb.harness.uc_stack.ss_size = HARNESS_STACK;
  tb.harness.uc_link = &tb.sim;
  makecontext(&tb.harness, harness, 0);
  return 0;
}

/* ---- the system tasks ------------------------------------------------------------- */

static PLI_INT32 fail_init(const char *why, const char *what) {
  vpi_printf("tessera_vpi: %s %s\n", why, what);
  vpip_set_return_value(2);
  vpi_control(vpiFinish, 0);
  return 0;
}

/* $tessera_init("die" | "mesh"): find the testbench's variables in the
 * calling scope, prepare the harness with the command line after the .vvp
 * file (vvp passes it through); the first $tessera_sync starts it. */
static PLI_INT32 init_calltf(PLI_BYTE8 *user) {
  (void)user;
  vpiHandle call = vpi_handle(vpiSysTfCall, NULL);
  vpiHandle scope = vpi_handle(vpiScope, call);
  vpiHandle args = vpi_iterate(vpiArgument, call);
  vpiHandle kind = args ? vpi_scan(args) : NULL;
  if (!kind) return fail_init("$tessera_init needs an argument:", "\"die\" or \"mesh\"");
  vpi_free_object(args);
  s_vpi_value v = {.format = vpiStringVal};
  vpi_get_value(kind, &v);
  tb.mesh = !strcmp(v.value.str, "mesh");
  /* a copy: vpi_get_str's buffer is reused by the next call */
  snprintf(tb.top, sizeof tb.top, "%s", vpi_get_str(vpiFullName, scope));
  for (int k = 0; k < N_IN; k++) {
    if (!tb.mesh && (k == IN_BCAST || k == IN_DIE)) continue;
    if (!(tb.in[k] = vpi_handle_by_name((PLI_BYTE8 *)in_names[k], scope)))
      return fail_init("the testbench has no input", in_names[k]);
  }
  for (int k = 0; k < N_OUT; k++) {
    out_port *p = &tb.out[k];
    if (!(p->h = vpi_handle_by_name((PLI_BYTE8 *)out_names[k], scope)))
      return fail_init("the testbench has no output", out_names[k]);
    p->bits = (int)vpi_get(vpiSize, p->h);
    p->a = calloc((size_t)(p->bits + 31) / 32, sizeof *p->a);
    p->b = calloc((size_t)(p->bits + 31) / 32, sizeof *p->b);
    if (!p->a || !p->b) return fail_init("out of memory for", out_names[k]);
  }
  tb.dies = tb.mesh ? tb.out[OUT_BUSY].bits : 1;
  s_vpi_vlog_info info;
  vpi_get_vlog_info(&info);
  tb.argc = info.argc;
  tb.argv = info.argv;
  if (make_stack()) return fail_init("cannot make a stack for", "the harness");
  tb.started = 1;
  return 0;
}

/* $tessera_sync: what the testbench does next (OP_*). */
static PLI_INT32 sync_calltf(PLI_BYTE8 *user) {
  (void)user;
  int op = OP_DONE;
  if (tb.started) {
    sample();
    op = to_harness();
    drive();
    if (op == OP_TICK) tb.cycles++;
    if (op == OP_DONE) {
      munmap(tb.stack, tb.stack_len);
      tb.started = 0;
      if (tb.x_reads) {
        fprintf(stderr, "FAIL %s: %ld reads of X or Z from the design's outputs (first above)\n",
                tb.top, tb.x_reads);
        if (tb.status == 0) tb.status = 1;
      }
      fflush(stderr);
      /* The exit status of vvp; a $finish in the testbench would reset it. */
      vpip_set_return_value(tb.status);
      vpi_control(vpiFinish, 0);
    }
  }
  s_vpi_value v = {.format = vpiIntVal};
  v.value.integer = op;
  vpi_put_value(vpi_handle(vpiSysTfCall, NULL), &v, NULL, vpiNoDelay);
  return 0;
}

static PLI_INT32 sync_sizetf(PLI_BYTE8 *user) {
  (void)user;
  return 32;
}

static void register_tasks(void) {
  s_vpi_systf_data init = {.type = vpiSysTask, .tfname = "$tessera_init", .calltf = init_calltf};
  s_vpi_systf_data sync = {.type = vpiSysFunc,
                           .sysfunctype = vpiIntFunc,
                           .tfname = "$tessera_sync",
                           .calltf = sync_calltf,
                           .sizetf = sync_sizetf};
  vpi_register_systf(&init);
  vpi_register_systf(&sync);
}

void (*vlog_startup_routines[])(void) = {register_tasks, NULL};
