import type { DeliveryTimes } from './delivery-time';

/**
 * What admin statistics report (the admin API's `GET /stats`, the bot's `/stats`), and the port
 * they are read through. The reader on DynamoDB is admin/stats.ts; the bot only sees this port.
 */

/** One article's counters, as the admin API and `/stats` show them. */
export interface ArticleStats {
  id: string;
  title: string;
  authorHandle: string;
  authorName: string;
  publishedAt: string;
  views: number;
  replies: number;
  shares: number;
  shareOpens: number;
  alertsSent: number;
  /** The delivery report of the article's alert run, once there was one (`GET …/stats` and `/stats <id>`). */
  alerts?: AlertDelivery;
}

/**
 * How the alert run of one article went. `unconfirmed`: claimed by a sender that stopped before
 * recording an outcome (never sent again; whether it arrived is unknown). `pending` = not yet
 * final: total − sent − blocked − failed − unconfirmed.
 */
export interface AlertDelivery {
  total: number;
  sent: number;
  blocked: number;
  failed: number;
  unconfirmed: number;
  pending: number;
  /** The fan-out has enqueued every subscriber (until then `total` can still grow). */
  fanoutDone: boolean;
  /** When the run started (the fan-out's first write), ISO 8601. */
  startedAt: string;
  /**
   * Time to reach readers, in ms from `startedAt`: first and last message, and when 50/90/99 %
   * of the recipients sent so far had theirs. Absent until something was sent.
   */
  times?: DeliveryTimes;
  /** Telegram Stars spent on paid broadcast (0.1 per message above the free rate). */
  stars: number;
}

export interface StatsTotals {
  articles: number;
  authors: number;
  /** Sum of the authors' subscriber counts. */
  subscriptions: number;
  /** Sum of the articles' replies. */
  comments: number;
  views: number;
  shares: number;
  shareOpens: number;
  alertsSent: number;
}

export interface StatsReport {
  totals: StatsTotals;
  /** Newest first. */
  articles: ArticleStats[];
  /** True when the publication has more articles than one report reads (admin/stats.ts MAX_STATS_ARTICLES): rows and counter totals cover the newest ones only. */
  truncated: boolean;
  generatedAt: string;
}

/** What the admin API and the bot's admin commands read statistics from. */
export interface StatsReader {
  report(): Promise<StatsReport>;
  /** One article's counters; undefined when it does not exist. */
  article(id: string): Promise<ArticleStats | undefined>;
}
