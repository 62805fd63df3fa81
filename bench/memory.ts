import type { Worker } from '@temporalio/worker';

interface MemorySample {
  rss: number;
  heapUsed: number;
  cached: number;
}

/**
 * Samples the process once a second. The workflow sandbox runs in a worker thread, so its
 * heap shows in RSS but not in the main thread's heapUsed; RSS is the number that matters.
 */
export class MemorySampler {
  peakRss = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly worker: Worker) {
    this.timer = setInterval(() => this.sample(), 1000);
    this.timer.unref();
  }

  sample(): MemorySample {
    const { rss, heapUsed } = process.memoryUsage();
    this.peakRss = Math.max(this.peakRss, rss);
    return { rss, heapUsed, cached: this.worker.getStatus().numCachedWorkflows };
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
