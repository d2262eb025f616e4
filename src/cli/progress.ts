import cliProgress from "cli-progress";
import type { ImportProgress } from "../modules/units/import-reference.ts";

/** A progress bar per stage on a terminal; one line per stage when output is not a terminal. */
export function progressReporter(): { onProgress: ImportProgress; stop: () => void } {
  let bar: cliProgress.SingleBar | undefined;
  let stage = "";
  const isTty = Boolean(process.stderr.isTTY);
  const onProgress: ImportProgress = (name, done, total) => {
    if (name !== stage) {
      bar?.stop();
      stage = name;
      if (isTty) {
        bar = new cliProgress.SingleBar(
          {
            format: `${name.padEnd(12)} [{bar}] {percentage}% {value}/{total}`,
            stream: process.stderr,
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0);
      } else {
        process.stderr.write(`${name}: ${total} rows\n`);
      }
    }
    bar?.update(done);
  };
  return { onProgress, stop: () => bar?.stop() };
}
