/**
 * Generates the Teams app icons in appPackage/:
 *   - color.png   192×192, NTNU blue (#00509E) background with a white glyph
 *   - outline.png  32×32, the same glyph in white on a fully transparent background
 *
 * The glyph is a coin (a ring) holding a small rising bar chart: money plus
 * follow-up, for the finance and payroll processes. It is drawn from simple
 * shapes with supersampled anti-aliasing, so the output is deterministic and
 * the PNGs can be regenerated at any time:
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/generate-icons.js
 *
 * The generated PNGs are committed; test/appPackage/manifest.test.ts checks
 * their size and colours and that they match this script's output.
 */
import * as fs from 'fs';
import * as path from 'path';
import { PNG } from 'pngjs';

/** NTNU blue. */
export const NTNU_BLUE = { r: 0x00, g: 0x50, b: 0x9e } as const;

/** A shape in glyph coordinates: the unit square, x to the right, y downwards. */
type Shape = (x: number, y: number) => boolean;

const ring =
  (cx: number, cy: number, outer: number, inner: number): Shape =>
  (x, y) => {
    const d = Math.hypot(x - cx, y - cy);
    return d <= outer && d >= inner;
  };

/** Axis-aligned rectangle with rounded top corners (bars of a chart). */
const bar =
  (x0: number, y0: number, x1: number, y1: number, radius: number): Shape =>
  (x, y) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    if (y >= y0 + radius) return true;
    // Round only the two top corners.
    const cx = x < x0 + radius ? x0 + radius : x > x1 - radius ? x1 - radius : x;
    return Math.hypot(x - cx, y - (y0 + radius)) <= radius;
  };

const union =
  (...shapes: Shape[]): Shape =>
  (x, y) =>
    shapes.some((shape) => shape(x, y));

/** The coin-and-chart glyph. */
export const glyph: Shape = union(
  // The coin.
  ring(0.5, 0.5, 0.5, 0.405),
  // Three rising bars standing on a common baseline inside the coin.
  bar(0.235, 0.53, 0.365, 0.74, 0.03),
  bar(0.435, 0.41, 0.565, 0.74, 0.03),
  bar(0.635, 0.29, 0.765, 0.74, 0.03),
);

/**
 * Coverage (0..1) of `shape` over every pixel of a size×size image, where the
 * glyph's unit square is mapped onto the square [offset, offset + extent).
 */
export function rasterize(shape: Shape, size: number, offset: number, extent: number, samples: number): Float64Array {
  const coverage = new Float64Array(size * size);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let hits = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples - offset) / extent;
          const y = (py + (sy + 0.5) / samples - offset) / extent;
          if (x >= 0 && x <= 1 && y >= 0 && y <= 1 && shape(x, y)) hits++;
        }
      }
      coverage[py * size + px] = hits / (samples * samples);
    }
  }
  return coverage;
}

/** 192×192 colour icon: white glyph blended over an opaque NTNU-blue square. */
export function renderColorIcon(): PNG {
  const size = 192;
  // The glyph sits in the central 120×120 px, leaving room for Teams' rounded mask.
  const coverage = rasterize(glyph, size, 36, 120, 6);
  const png = new PNG({ width: size, height: size, colorType: 6 });
  for (let i = 0; i < size * size; i++) {
    const c = coverage[i] ?? 0;
    png.data[i * 4] = Math.round(NTNU_BLUE.r + (255 - NTNU_BLUE.r) * c);
    png.data[i * 4 + 1] = Math.round(NTNU_BLUE.g + (255 - NTNU_BLUE.g) * c);
    png.data[i * 4 + 2] = Math.round(NTNU_BLUE.b + (255 - NTNU_BLUE.b) * c);
    png.data[i * 4 + 3] = 255;
  }
  return png;
}

/** 32×32 outline icon: white only, anti-aliased through alpha, transparent elsewhere. */
export function renderOutlineIcon(): PNG {
  const size = 32;
  const coverage = rasterize(glyph, size, 1, 30, 8);
  const png = new PNG({ width: size, height: size, colorType: 6 });
  for (let i = 0; i < size * size; i++) {
    const alpha = Math.round((coverage[i] ?? 0) * 255);
    // Every pixel is white, even fully transparent ones, so the icon holds no other colour.
    png.data[i * 4] = 255;
    png.data[i * 4 + 1] = 255;
    png.data[i * 4 + 2] = 255;
    png.data[i * 4 + 3] = alpha;
  }
  return png;
}

/** The repository root: the nearest folder above this file that holds package.json. */
function repositoryRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

function main(): void {
  const outDir = path.resolve(process.argv[2] ?? path.join(repositoryRoot(), 'appPackage'));
  fs.mkdirSync(outDir, { recursive: true });
  for (const [name, png] of [
    ['color.png', renderColorIcon()],
    ['outline.png', renderOutlineIcon()],
  ] as const) {
    const file = path.join(outDir, name);
    fs.writeFileSync(file, PNG.sync.write(png, { colorType: 6 }));
    console.log(`wrote ${file} (${png.width}×${png.height})`);
  }
}

if (require.main === module) main();
