/** Helper thread of resample-parallel.ts: plans the same bootstrap and claims chunks until none is left. */
import { workerData } from 'node:worker_threads';
import { planResampling } from './resample.js';
import { claimChunks, diffViews, type HelperJob } from './resample-parallel.js';

const job = workerData as HelperJob;
const plan = planResampling(job.input);
claimChunks(plan, job.seeds, new Int32Array(job.control), diffViews(job.diffs, plan.metrics, job.input.resamples), job.input.resamples, true);
