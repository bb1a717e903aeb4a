/**
 * Commvault's clock, which need not be n8n's: a Command Center minutes off the machine that polls
 * it is common. Every time the simulator stamps (a job's end, an alert's detection) is read here.
 */
export class SimClock {
	/** How far Commvault's clock is ahead of this machine's (negative: behind), in milliseconds. */
	skewMs = 0;

	nowMs(): number {
		return Date.now() + this.skewMs;
	}

	/** Unix seconds, as Commvault's answers carry times. */
	nowSeconds(): number {
		return Math.floor(this.nowMs() / 1000);
	}
}
