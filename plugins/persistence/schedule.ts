/** The backup schedule: one backup every interval, never two at once, failures logged. No hooks here. */
export class BackupSchedule {
  private readonly timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    intervalMs: number,
    private readonly run: () => Promise<unknown>,
    private readonly log: { error(o: object, m: string): void },
  ) {
    // unref: a pending backup never keeps a stopping process alive.
    if (intervalMs > 0) this.timer = setInterval(() => void this.tick(), intervalMs).unref();
  }

  /** Runs one backup unless one is still running; resolves false when skipped. */
  async tick(): Promise<boolean> {
    if (this.running) return false;
    this.running = true;
    try {
      await this.run();
    } catch (err) {
      this.log.error({ err }, 'scheduled backup failed');
    } finally {
      this.running = false;
    }
    return true;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
