import { describe, expect, it } from 'vitest';
import type { Geometry } from 'geojson';
import { buildGeoGrid, extent } from '../../ingest/geo.ts';

/** Even–odd ray casting, the rule the SQL test uses (planar lon/lat). */
function inside(g: Geometry, x: number, y: number): boolean {
  const rings = g.type === 'Polygon' ? g.coordinates : g.type === 'MultiPolygon' ? g.coordinates.flat() : [];
  let odd = false;
  for (const r of rings) {
    for (let i = 0; i + 1 < r.length; i++) {
      const [x1, y1] = r[i] as [number, number];
      const [x2, y2] = r[i + 1] as [number, number];
      if (y1 > y !== y2 > y && x < ((x2 - x1) * (y - y1)) / (y2 - y1) + x1) odd = !odd;
    }
  }
  return odd;
}

const square = (x0: number, y0: number, s: number): [number, number][] => [
  [x0, y0], [x0 + s, y0], [x0 + s, y0 + s], [x0, y0 + s], [x0, y0],
];

describe('the grid that settles most points before the exact test', () => {
  // 'b' and 'a' overlap (the lowest id, 'a', wins there); 'donut' has a hole; 'tri' has long
  // diagonal edges and a horizontal one.
  const areas: { id: string; geometry: Geometry }[] = [
    { id: 'b', geometry: { type: 'Polygon', coordinates: [square(0, 0, 4)] } },
    { id: 'a', geometry: { type: 'Polygon', coordinates: [square(3, 3, 3)] } },
    { id: 'donut', geometry: { type: 'Polygon', coordinates: [square(6.5, 0.2, 3.3), square(7.5, 1.2, 1.3)] } },
    { id: 'tri', geometry: { type: 'MultiPolygon', coordinates: [[[[0.3, 6.5], [5.9, 9.9], [0.3, 9.9], [0.3, 6.5]]]] } },
  ];
  const ext = extent(areas.map((a) => a.geometry))!;
  const grid = buildGeoGrid(areas, ext, 64);

  it('marks every cell an edge touches, and names the area of every other cell as its every point has it', () => {
    const expectAt = (x: number, y: number) => {
      const holders = grid.areaIds.filter((id) => inside(areas.find((a) => a.id === id)!.geometry, x, y));
      return holders.length ? grid.areaIds.indexOf(holders[0]!) + 1 : 0;
    };
    let settled = 0;
    for (let j = 0; j < grid.ny; j++) {
      for (let i = 0; i < grid.nx; i++) {
        const code = grid.cells[j * grid.nx + i]!;
        if (code === -1) continue;
        settled++;
        // Corners (a hair inside), centre and a few more points of the cell all agree with it.
        for (const [fx, fy] of [[1e-9, 1e-9], [1 - 1e-9, 1e-9], [1e-9, 1 - 1e-9], [1 - 1e-9, 1 - 1e-9], [0.5, 0.5], [0.21, 0.77], [0.9, 0.33]] as const) {
          expect(expectAt(grid.x0 + (i + fx) * grid.dx, grid.y0 + (j + fy) * grid.dy), `cell ${i},${j}`).toBe(code);
        }
      }
    }
    expect(settled).toBeGreaterThan(grid.nx * grid.ny * 0.7);
    expect(grid.areaIds).toEqual(['a', 'b', 'donut', 'tri']);
  });

  it('gives overlaps to the lowest id, and leaves holes and the outside to no area', () => {
    const cellOf = (x: number, y: number) =>
      grid.cells[Math.floor((y - grid.y0) / grid.dy) * grid.nx + Math.floor((x - grid.x0) / grid.dx)];
    expect(cellOf(3.5, 3.5)).toBe(1); // 'a' over 'b'
    expect(cellOf(1, 1)).toBe(2); // 'b'
    expect(cellOf(8.1, 1.8)).toBe(0); // the donut's hole
    expect(cellOf(7, 3)).toBe(3); // the donut
    expect(cellOf(8, 8)).toBe(0); // outside everything
  });
});
