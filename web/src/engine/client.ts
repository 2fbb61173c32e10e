/**
 * The UI's handle on the engine worker, with a watchdog. Comlink never settles a call whose
 * worker hangs or dies (not even after terminate()), so every call races a timer; on expiry the
 * call is rejected with WorkerTimeout, the worker is terminated and a fresh one started, and the
 * owner is told so it can reload the inputs it still holds as Blobs.
 */
import * as Comlink from 'comlink';
import type { EngineApi } from './protocol.ts';

export class WorkerTimeout extends Error {
  override readonly name = 'WorkerTimeout';
  constructor(
    readonly call: string,
    readonly ms: number,
  ) {
    super(`the engine did not answer "${call}" within ${(ms / 1000).toFixed(1)} s; it was stopped and restarted`);
  }
}

type Method = keyof EngineApi;
type Args<M extends Method> = Parameters<EngineApi[M]>;
type Ret<M extends Method> = Awaited<ReturnType<EngineApi[M]>>;

export class EngineClient {
  private worker!: Worker;
  private remote!: Comlink.Remote<EngineApi>;
  private readonly pending = new Set<(e: Error) => void>();
  /** increments on every restart, so stale callers can tell */
  generation = 0;

  constructor(
    readonly timeoutMs: number,
    private readonly onRestart: (why: WorkerTimeout) => void,
  ) {
    this.start();
  }

  private start(): void {
    this.worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'corelab-engine' });
    this.remote = Comlink.wrap<EngineApi>(this.worker);
  }

  /** Call the engine; `transfer` lists buffers to move (they are detached here afterwards). */
  call<M extends Method>(method: M, args: Args<M>, transfer: Transferable[] = [], timeoutMs = this.timeoutMs): Promise<Ret<M>> {
    const gen = this.generation;
    return new Promise<Ret<M>>((resolve, reject) => {
      let done = false;
      const fail = (e: Error): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.pending.delete(fail);
        reject(e);
      };
      const timer = setTimeout(() => {
        const t = new WorkerTimeout(method, timeoutMs);
        fail(t);
        if (gen === this.generation) this.restart(t);
      }, timeoutMs);
      this.pending.add(fail);
      const fn = this.remote[method] as unknown as (...a: unknown[]) => Promise<Ret<M>>;
      const sent = transfer.length ? Comlink.transfer(args, transfer) : args;
      fn(...(sent as unknown[])).then(
        (v) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          this.pending.delete(fail);
          resolve(v);
        },
        (e: unknown) => fail(e instanceof Error ? e : new Error(String(e))),
      );
    });
  }

  private restart(why: WorkerTimeout): void {
    this.generation++;
    this.worker.terminate();
    // calls queued behind the hung one will never be answered either
    for (const f of [...this.pending]) f(new WorkerTimeout(why.call, why.ms));
    this.start();
    this.onRestart(why);
  }
}
