// Trend snapshots: each workspace's contacts tallied at a UTC day's close (trends/series.ts), one
// insert-only document per workspace and day, and one per day saying that day's snapshots were
// all taken (a workspace with none that day then had no contacts). Deterministic ids: two
// instances taking the same snapshot insert one document; the second insert is refused.
import { Schema, type Connection, type Model } from 'mongoose';

export interface TrendSnapshotDoc {
  _id: string; // <workspace>:<YYYY-MM-DD>
  workspaceId: string;
  day: string;
  takenAt: Date;
  contacts: number;
  /** The tallies by series name, as one JSON string (the database never queries inside them). */
  series: string;
}

export interface TrendDayDoc {
  _id: string; // <YYYY-MM-DD>
  /** When the last workspace's snapshot of the day was written. */
  takenAt: Date;
  workspaces: number;
}

export const trendSnapshotId = (workspaceId: string, day: string) => `${workspaceId}:${day}`;

export function trendSnapshotModels(connection: Connection) {
  const options = { versionKey: false, _id: false, minimize: false } as const;
  const snapshot = new Schema<TrendSnapshotDoc>(
    {
      _id: String,
      workspaceId: { type: String, required: true },
      day: { type: String, required: true },
      takenAt: { type: Date, required: true },
      contacts: { type: Number, required: true },
      series: { type: String, required: true },
    },
    options,
  );
  const day = new Schema<TrendDayDoc>({ _id: String, takenAt: Date, workspaces: Number }, options);
  return {
    TrendSnapshot: connection.model<TrendSnapshotDoc>(
      'TrendSnapshot',
      snapshot,
      'trend_snapshots',
    ) as Model<TrendSnapshotDoc>,
    TrendDay: connection.model<TrendDayDoc>('TrendDay', day, 'trend_days') as Model<TrendDayDoc>,
  };
}
