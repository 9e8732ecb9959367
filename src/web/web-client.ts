import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Application, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';

/**
 * Where `npm run build` puts the browser client (web/ compiled and copied by web/build.mjs).
 * Resolved from the repository root, so it is the same directory whether this file runs from
 * dist/ (npm start) or from src/ (ts-jest, ts-node).
 */
export const WEB_CLIENT_ROOT = resolve(__dirname, '..', '..', 'dist', 'public');

/** The replay viewer's address: `/replay/<matchId>` (GameView.matchId). */
export const REPLAY_PATH = '/replay/:matchId';

/**
 * Serves the browser client at `/` from the app's own HTTP server. Express static only answers
 * paths that are files there and falls through otherwise, so `/health`, `/metrics`, `/api/...`
 * and `/socket.io` are untouched. Revalidated on every load (ETag), so a deploy is seen at once.
 */
export function serveWebClient(app: NestExpressApplication, root = WEB_CLIENT_ROOT): void {
  if (!existsSync(join(root, 'index.html'))) {
    new Logger('WebClient').warn(
      `no web client at ${root}: run \`npm run build\` to serve it at /`,
    );
  }
  // The replay viewer is its own page; the match id in its path is read by the page itself.
  const express = app.getHttpAdapter().getInstance() as Application;
  express.get(REPLAY_PATH, (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(join(root, 'replay.html'));
  });
  app.useStaticAssets(root, {
    index: 'index.html',
    redirect: false,
    setHeaders: (res: ServerResponse) => res.setHeader('Cache-Control', 'no-cache'),
  });
}
