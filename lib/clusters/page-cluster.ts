import 'server-only';
import { notFound } from 'next/navigation';
import { AppError } from '@/lib/errors';
import { chosenCluster } from './registry';

/**
 * For a page's `?cluster=NAME` (issue 14): the cluster named, the home cluster when none is;
 * an unknown or malformed name gives the 404 page, and nothing on the page runs against a
 * cluster that was not asked for.
 */
export function pageCluster(asked: string | string[] | undefined): string {
  if (Array.isArray(asked) || (asked && !/^[a-z][a-z0-9_-]{0,31}$/.test(asked))) notFound();
  try {
    return chosenCluster(asked);
  } catch (e) {
    if (e instanceof AppError && e.code === 'not_found:resource') notFound();
    throw e;
  }
}
