/**
 * The job concern in one place (layer 2, as plans/): Commvault's status words, a job as the node
 * outputs it, and the two job calls with their filter. Job › Get and Get Many (actions/job/), Back
 * Up Now's wait and the trigger use it.
 */
export { ACTIVE_JOB_STATUSES, FINAL_JOB_STATUSES, JOB_STATUSES, isFinalStatus, requireStatuses, type JobStatus } from './statuses';
export { jobItem, jobList, jobListFor, jobsOf, type JobList, type JobSummary } from './summary';
export { BACKUP_JOB_TYPE, DEFAULT_LOOKBACK_HOURS, fetchJob, jobsRequestBody, listJobs, type JobFilters } from './listing';
export { MAX_WAIT_MINUTES, POLL_SECONDS, nextPollSeconds, waitClock, waitForJobs, type JobsWaited } from './waiting';
