import { AppError } from '@/lib/errors';
import type { Advice } from './types';

/** A step that stopped on purpose, with a plain-language explanation for the operator. */
export class StepFailure extends AppError {
  constructor(
    message: string,
    readonly advice?: Advice,
  ) {
    super('conflict:state', message);
  }
}
