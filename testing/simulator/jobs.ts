/**
 * Commvault's jobs, on a clock the test controls: `GET /Job/{jobId}` and `POST /Jobs`
 * (jobs-api.json, strict like every route). A job runs from its start until `runSeconds` of
 * simulated time have passed (or it has been asked for `finishAfterPolls` times), then has its
 * final status; an unknown id answers an empty list, as Commvault does.
 *
 * ```ts
 * sim.jobs.clock.speed = 1000;          // 1 real ms is 1 simulated second
 * const job = sim.jobs.add({ clientId: 1001, runSeconds: 120, finalStatus: 'Failed' });
 * sim.jobs.clock.advance(120);          // or wait: the job is Failed from now on
 * sim.jobs.finish(job.jobId, 'Killed'); // or end it at once
 * ```
 */
import { visibleApps } from './companies';
import type { Reply, Route, RouteRequest, SimContext } from './routes';

/** Commvault's job type codes (`jobTypeList`) and the words `jobType` says for them. */
export const JOB_TYPES = { Backup: 4, Restore: 1 } as const;

export type SimJobType = keyof typeof JOB_TYPES;

/** What a test says about a job; everything else has a default. */
export interface SimJobSeed {
	jobId?: number;
	/** The app's id (Commvault's `clientId` for a Microsoft 365 app). */
	clientId: number;
	clientName?: string;
	/** `subclient.appName` and `appTypeName`, e.g. `Exchange Mailbox`. */
	appName?: string;
	jobType?: SimJobType;
	/** Simulated Unix seconds; default: now on the clock. */
	startTime?: number;
	/** Simulated seconds from start to the final status; default 120. Infinity: never ends by itself. */
	runSeconds?: number;
	/** Or: final once `GET /Job/{jobId}` has asked for it this many times. */
	finishAfterPolls?: number;
	/** Default `Completed`. */
	finalStatus?: string;
	/** What it says while under way; default `Running`. */
	activeStatus?: string;
}

export interface SimJob extends Required<Omit<SimJobSeed, 'finishAfterPolls'>> {
	finishAfterPolls?: number;
	/** `GET /Job/{jobId}` requests for it so far. */
	polls: number;
	/** Set when a test finished it by hand (or its polls ran out): the simulated time it ended. */
	endedAt?: number;
}

/**
 * Simulated time in Unix seconds: real time times `speed`, plus what `advance` added. The node's
 * own wait is scaled by its test hook; the two together make a 2-minute job take milliseconds.
 */
export class SimClock {
	private base = Date.now() / 1000;

	private realBase = Date.now();

	private rate = 1;

	/** Simulated seconds per real second (default 1). */
	get speed(): number {
		return this.rate;
	}

	set speed(speed: number) {
		if (!Number.isFinite(speed) || speed < 0) throw new Error(`clock speed must be a non-negative number, got ${speed}`);
		this.base = this.now();
		this.realBase = Date.now();
		this.rate = speed;
	}

	now(): number {
		return this.base + ((Date.now() - this.realBase) / 1000) * this.rate;
	}

	advance(seconds: number): void {
		this.base += seconds;
	}
}

const FIRST_JOB_ID = 5001;

/** A job's defaults, per backup the simulator starts (`sim.jobs.backups`). */
export type BackupOutcome = Pick<SimJobSeed, 'runSeconds' | 'finishAfterPolls' | 'finalStatus'> & {
	/** How many jobs one backup request starts (default 1). */
	jobsPerBackup?: number;
};

export class SimJobs {
	readonly clock = new SimClock();

	/** What the next backups' jobs do (Back Up Now routes); change it while running. */
	backups: BackupOutcome = {};

	/** The most jobs one `POST /Jobs` answer holds, whatever `pagingConfig.limit` asks (a server's own cap). */
	pageCap = Number.POSITIVE_INFINITY;

	private readonly all = new Map<number, SimJob>();

	private nextId = FIRST_JOB_ID;

	private nextTask = 1;

	/** Every job, in the order they were added. */
	get list(): SimJob[] {
		return [...this.all.values()];
	}

	get(jobId: number): SimJob | undefined {
		return this.all.get(jobId);
	}

	add(seed: SimJobSeed): SimJob {
		const jobId = seed.jobId ?? this.nextId;
		if (this.all.has(jobId)) throw new Error(`Job ${jobId} already exists`);
		this.nextId = Math.max(this.nextId, jobId + 1);
		const job: SimJob = {
			jobId,
			clientId: seed.clientId,
			clientName: seed.clientName ?? `client-${seed.clientId}`,
			appName: seed.appName ?? 'Exchange Mailbox',
			jobType: seed.jobType ?? 'Backup',
			startTime: seed.startTime ?? Math.floor(this.clock.now()),
			runSeconds: seed.runSeconds ?? 120,
			finalStatus: seed.finalStatus ?? 'Completed',
			activeStatus: seed.activeStatus ?? 'Running',
			polls: 0,
			...(seed.finishAfterPolls === undefined ? {} : { finishAfterPolls: seed.finishAfterPolls }),
		};
		this.all.set(jobId, job);
		return job;
	}

	/** Ends a job now, with this status (default: its final status). */
	finish(jobId: number, status?: string): SimJob {
		const job = this.all.get(jobId);
		if (!job) throw new Error(`No job ${jobId}`);
		if (status !== undefined) job.finalStatus = status;
		job.endedAt ??= Math.floor(this.clock.now());
		return job;
	}

	/** A new task id for a backup request. */
	task(): number {
		return this.nextTask++;
	}

	/** When the job ended in simulated time, or undefined while it runs. */
	endOf(job: SimJob): number | undefined {
		if (job.endedAt !== undefined) return job.endedAt;
		const end = job.startTime + job.runSeconds;
		return this.clock.now() >= end ? end : undefined;
	}

	/** `JobSummary` as Commvault words it at this moment. */
	summary(job: SimJob): Record<string, unknown> {
		const now = Math.floor(this.clock.now());
		const end = this.endOf(job);
		const status = end === undefined ? job.activeStatus : job.finalStatus;
		const elapsed = Math.max(0, (end ?? now) - job.startTime);
		const percent = end !== undefined ? 100 : Number.isFinite(job.runSeconds) ? Math.min(99, Math.floor((100 * elapsed) / job.runSeconds)) : 0;
		return {
			jobId: job.jobId,
			status,
			localizedStatus: status,
			jobType: job.jobType,
			localizedOperationName: job.jobType,
			appTypeName: job.appName,
			backupLevelName: 'Incremental',
			percentComplete: percent,
			jobStartTime: job.startTime,
			jobEndTime: end ?? 0,
			lastUpdateTime: end ?? now,
			jobElapsedTime: elapsed,
			totalFailedFiles: job.finalStatus === 'Completed' || end === undefined ? 0 : 3,
			sizeOfApplication: elapsed * 1_048_576,
			subclient: { clientId: job.clientId, clientName: job.clientName, subclientId: job.clientId * 10, appName: job.appName },
		};
	}

	/** A `GET /Job/{jobId}` poll: counts it, and a job finishing after polls finishes on its last one. */
	poll(job: SimJob): void {
		job.polls++;
		if (job.finishAfterPolls !== undefined && job.polls >= job.finishAfterPolls) job.endedAt ??= Math.floor(this.clock.now());
	}
}

// Shapes guaranteed by jobs-api.json's JobsRequest.
interface JobsRequest {
	category?: 0 | 1 | 2;
	pagingConfig?: { offset?: number; limit?: number; sortField?: 'jobStartTime' | 'jobId' | 'lastUpdateTime'; sortDirection?: 0 | 1 };
	jobFilter?: {
		completedJobLookupTime?: number;
		statusList?: string[];
		jobTypeList?: number[];
		clientList?: Array<{ clientId: number }>;
	};
}

const ok = (body: unknown): Reply => ({ status: 200, body });

function jobList(jobs: SimJobs, page: SimJob[], total: number): Reply {
	return ok({ totalRecordsWithoutPaging: total, jobs: page.map((job) => ({ jobSummary: jobs.summary(job) })) });
}

/**
 * The jobs a call sees: the MSP all of them (a test's jobs of no app included); acting for a
 * company, the jobs of that company's apps only.
 */
function visibleJobs(ctx: SimContext, req: RouteRequest): SimJob[] {
	if (req.company === undefined) return ctx.jobs.list;
	const apps = new Set(visibleApps(ctx, req.company).map((app) => app.id));
	return ctx.jobs.list.filter((job) => apps.has(job.clientId));
}

/**
 * `GET /Job/{jobId}`: the job as a one-element list, or an empty list for an id Commvault does
 * not know or the caller cannot see.
 */
function getJob(ctx: SimContext, req: RouteRequest): Reply {
	const jobId = Number(req.pathParams.jobId);
	const job = visibleJobs(ctx, req).find((candidate) => candidate.jobId === jobId);
	if (!job) return jobList(ctx.jobs, [], 0);
	ctx.jobs.poll(job);
	return jobList(ctx.jobs, [job], 1);
}

/**
 * `POST /Jobs`: the jobs matching `jobFilter` (a finished job only within `completedJobLookupTime`
 * seconds of now; running ones always), sorted by `pagingConfig` (default newest first), the
 * records `offset` … `offset + limit - 1` (all of them without `pagingConfig`).
 */
function getJobs(ctx: SimContext, req: RouteRequest): Reply {
	const body = (req.body ?? {}) as JobsRequest;
	const { jobs } = ctx;
	const filter = body.jobFilter ?? {};
	const now = jobs.clock.now();
	const matching = visibleJobs(ctx, req).filter((job) => {
		const end = jobs.endOf(job);
		const status = end === undefined ? job.activeStatus : job.finalStatus;
		if (body.category === 1 && end !== undefined) return false;
		if (body.category === 2 && end === undefined) return false;
		if (end !== undefined && filter.completedJobLookupTime !== undefined && end < now - filter.completedJobLookupTime) return false;
		if (filter.statusList?.length && !filter.statusList.includes(status)) return false;
		if (filter.jobTypeList?.length && !filter.jobTypeList.includes(JOB_TYPES[job.jobType])) return false;
		if (filter.clientList?.length && !filter.clientList.some((client) => client.clientId === job.clientId)) return false;
		return true;
	});
	const paging = body.pagingConfig ?? {};
	const field = paging.sortField ?? 'jobStartTime';
	const direction = paging.sortDirection === 0 ? 1 : -1;
	const read = (job: SimJob): number => (field === 'jobId' ? job.jobId : field === 'lastUpdateTime' ? jobs.endOf(job) ?? now : job.startTime);
	matching.sort((a, b) => direction * (read(a) - read(b)) || direction * (a.jobId - b.jobId));
	const offset = paging.offset ?? 0;
	const limit = Math.min(paging.limit ?? matching.length, jobs.pageCap);
	return jobList(jobs, matching.slice(offset, offset + limit), matching.length);
}

/** The job routes, built by routes.ts's `documented` (which reads each operation from the documents). */
export function jobRoutes(documented: (operationId: string, handle: Route['handle']) => Route): Route[] {
	return [documented('GetJobSummary', getJob), documented('GetJobs', getJobs)];
}
