/**
 * Keeps a run inside its time budget (pnpm bench < 15 min, bench:ci < 3 min) while it spends
 * spare time on quiet: waiting for other load to pass before a cell, and re-running a cell that
 * other load disturbed. Extra time is granted only while the projected end (elapsed + the
 * remaining cells at the average cell time so far) stays inside the budget.
 */
export class RunBudget {
  readonly #budgetMs: number;
  readonly #started: number;
  #remaining: number;
  #cellMs = 0;
  #cells = 0;
  readonly #now: () => number;

  constructor(budgetMs: number, totalCells: number, now: () => number = Date.now) {
    this.#budgetMs = budgetMs;
    this.#remaining = totalCells;
    this.#now = now;
    this.#started = now();
  }

  /** Records one planned cell as done, and how long its first attempt took. */
  cellDone(firstAttemptMs: number): void {
    this.#remaining = Math.max(0, this.#remaining - 1);
    this.#cellMs += firstAttemptMs;
    this.#cells += 1;
  }

  get averageCellMs(): number {
    return this.#cells === 0 ? 5000 : this.#cellMs / this.#cells;
  }

  /** Whether `extraMs` more can be spent without the projected end passing the budget. */
  canSpend(extraMs: number): boolean {
    const elapsed = this.#now() - this.#started;
    return elapsed + this.#remaining * this.averageCellMs + extraMs < this.#budgetMs;
  }
}
