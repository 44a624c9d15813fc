// sql/epi/essence.ts (the ESSENCE Regression/EWMA switch) and sql/epi/tails.ts. surveillance has no
// such detector, so the checks are constructed series with known answers: exact fits, constant
// baselines, and reference values from R 4.2.2 (lm.fit, pt, qt, sd) written out below with the
// lines that computed them.
import { describe, expect, it } from 'vitest';
import { randomLcg, randomPoisson } from 'd3';
import { ESSENCE_DEFAULTS, MODEL_EWMA, MODEL_REGRESSION, essence, essenceLevel, essencePoints } from '../../sql/epi/essence.ts';
import { normalUpper, qt, studentUpper } from '../../sql/epi/tails.ts';
import { pnorm, pt } from '../../sql/epi/distributions.ts';
import { ears, earsSeries, type EarsMethod } from '../../sql/epi/ears.ts';
import { readGolden } from './epi-golden.ts';

const close = (a: number, b: number, tol = 1e-9) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));

describe('tail probabilities', () => {
  it('normalUpper agrees with pnorm to 1e-13 relative', () => {
    for (let z = -12; z <= 12; z += 0.0137) {
      const ref = pnorm(z, 0, 1, false);
      expect(Math.abs(normalUpper(z) - ref) / ref).toBeLessThan(1e-13);
    }
    expect(normalUpper(0)).toBe(0.5);
  });
  it('studentUpper agrees with pt to 1e-12 relative for whole degrees of freedom', () => {
    for (const df of [1, 2, 3, 4, 7, 20, 27, 51]) {
      for (let t = -40; t <= 40; t += 0.0173) {
        const ref = pt(t, df, false);
        expect(Math.abs(studentUpper(t, df) - ref) / ref, `df ${df} t ${t}`).toBeLessThan(1e-12);
      }
    }
  });
  it('qt inverts pt (R: qt(0.95, 20) = 1.72471824292079, qt(0.99, 27) = 2.47265991195601)', () => {
    close(qt(0.95, 20), 1.72471824292079, 1e-12);
    close(qt(0.95, 27), 1.70328844572213, 1e-12);
    close(qt(0.99, 27), 2.47265991195601, 1e-12);
  });
});

describe('ESSENCE regression arm', () => {
  it('extrapolates an exact trend with weekday effects, with the floored standard error', () => {
    // y = 10 + 0.5·day + weekday effect, no noise: R² = 1, the forecast is the line itself.
    const effect = [3, 2, 2, 1, 4, -6, -8]; // Mon … Sun
    const y = Array.from({ length: 60 }, (_, d) => 10 + 0.5 * d + effect[(d + 2) % 7]!); // day 0 is a Wednesday
    const pts = essencePoints(y, 2);
    expect(pts[0]!.t).toBe(30);
    for (const p of pts) {
      expect(p.model).toBe('regression');
      close(p.adjR2, 1, 1e-9);
      close(p.expected, y[p.t]!, 1e-9);
      // 1.01 / round(qt(0.95, 20), 5)
      close(p.sigma, 1.01 / 1.72472, 1e-12);
      expect(Math.abs(p.statistic)).toBeLessThan(1e-8);
    }
    // Three above the line on one day: stat 3/0.5856…, far past p < 0.01.
    const spiked = y.slice();
    spiked[45] = spiked[45]! + 3;
    const s = essencePoints(spiked, 2).find((p) => p.t === 45)!;
    close(s.statistic, 3 / (1.01 / 1.72472), 1e-9);
    close(s.pValue, pt(s.statistic, 20, false), 1e-12);
    expect(s.level).toBe('red');
  });

  it('matches R lm.fit on a noisy weekday series (Rnssp adaptive_regression, full baseline)', () => {
    // Day 0 is a Monday. Reference: /R below, run with R 4.2.2.
    //   idx <- (t-g-B):(t-g-1); X <- cbind(1, 1:B, weekday dummies Mon..Sat); f <- lm.fit(X, y[idx])
    //   r2 <- mss/(rss+mss); r2a <- 1-(1-r2)*(B-1)/f$df.residual; ex <- max(0, x0 %*% coef) with x0 at τ = B+g+1
    //   se <- max(sqrt(rss/(B-8))*sqrt((B+7)*(B-4)/(B*(B-7))), 1.01/round(qt(.95,B-8),5)); p <- 1-pt((y[t]-ex)/se, B-8)
    const y = [12, 19, 11, 13, 22, 4, 5, 17, 12, 15, 9, 18, 10, 2, 14, 21, 11, 15, 25, 6, 7, 10, 18, 20, 16, 14, 9, 3, 16, 23, 12, 17, 21, 11, 8, 19, 20, 27, 26, 30];
    // [t, expected, se, adjusted R², statistic, p]
    const R: [number, number, number, number, number, number][] = [
      [30, 15.25, 4.27534459764022, 0.643377820380475, -0.760172642409653, 0.771990064092737],
      [31, 14.3214285714286, 4.28511900627733, 0.64509495982469, 0.625086823644233, 0.26949067034311],
      [32, 21.6785714285714, 4.36439677202628, 0.654457013574661, -0.155478858595247, 0.56099883158229],
      [33, 8.35714285714286, 4.43110526590725, 0.642723240380979, 0.59643294037521, 0.278788673450119],
      [34, 5.71428571428571, 4.47008195149275, 0.641440439456106, 0.511336103122448, 0.307357382217055],
      [35, 16.25, 4.3556203428936, 0.654138073584126, 0.63136815964384, 0.267474974063826],
      [36, 20.3214285714286, 4.31501885918266, 0.63149781218445, -0.0744906527452475, 0.529319995349911],
      [37, 16.8571428571429, 4.30436418305981, 0.616401408450704, 2.35641240180727, 0.0143813816614907],
      [38, 17.6071428571429, 4.15232907350729, 0.649762782128051, 2.02124084923936, 0.028421648393599],
      [39, 21.8571428571429, 3.9405013666294, 0.696155154562934, 2.06645205399899, 0.025990246542122],
    ];
    const pts = essencePoints(y, 0);
    expect(pts.map((p) => p.t)).toEqual(R.map((r) => r[0]));
    pts.forEach((p, i) => {
      const [, ex, se, r2a, st, pv] = R[i]!;
      expect(p.model).toBe('regression');
      close(p.expected, ex, 1e-12);
      close(p.sigma, se, 1e-12);
      close(p.adjR2, r2a, 1e-12);
      close(p.statistic, st, 1e-11);
      close(p.pValue, pv, 1e-11);
    });
    expect(pts.map((p) => p.level)).toEqual(['none', 'none', 'none', 'none', 'none', 'none', 'none', 'yellow', 'yellow', 'yellow']);
  });

  it('agrees with a direct least-squares fit of every window over a long series of large counts', () => {
    const rng = randomLcg(42);
    const pois = randomPoisson.source(rng);
    const wk = [1.1, 1.0, 1.0, 0.95, 1.05, 0.8, 0.7];
    const n = 400;
    const y = Array.from({ length: n }, (_, d) => pois(300 * wk[(d + 5) % 7]! * (1 + d / 2000))());
    const s = essence(y, 5, { r2Switch: -Infinity }); // always the regression arm
    for (let t = s.first; t < n; t++) {
      const a = t - 30;
      const rows = Array.from({ length: 28 }, (_, j) => {
        const dow = (5 + a + j) % 7;
        return [1, j + 1, ...[0, 1, 2, 3, 4, 5].map((k) => (dow === k ? 1 : 0))];
      });
      const beta = solveLeastSquares(rows, y.slice(a, a + 28));
      const dowT = (5 + t) % 7;
      const x0 = [1, 31, ...[0, 1, 2, 3, 4, 5].map((k) => (dowT === k ? 1 : 0))];
      const fit = x0.reduce((acc, v, k) => acc + v * beta[k]!, 0);
      close(s.expected[t]!, Math.max(0, fit), 1e-9);
      expect(s.model[t]).toBe(MODEL_REGRESSION);
    }
  });
});

describe('ESSENCE EWMA arm', () => {
  it('on a constant baseline, a jump of 1 is not flagged and a jump of 2 is red (R: 1 − pt(…, 27))', () => {
    // Baseline sd 0, so σ_w is the floor (w/u)(1 + ½(1−w)²) with u = round(qt(0.95, 27), 5) = 1.70329;
    // the 0.9 weight gives the larger statistic, 0.9k/σ₂.
    for (const [k, p, level] of [
      [1, 0.0508077745938396, 'none'],
      [2, 0.00108344540447725, 'red'],
    ] as const) {
      const y = new Array<number>(40).fill(3);
      y[39] = 3 + k;
      const last = essencePoints(y, 0).at(-1)!;
      expect(last.model).toBe('ewma');
      expect(last.adjR2).toBe(0); // constant baseline: R² undefined, taken as 0
      expect(last.expected).toBe(3);
      close(last.sigma, (0.9 / 1.70329) * 1.005, 1e-12);
      close(last.statistic, (0.9 * k) / ((0.9 / 1.70329) * 1.005), 1e-12);
      close(last.pValue, p, 1e-11);
      expect(last.level).toBe(level);
    }
  });

  it('matches an R transcription on a sparse series with a planted rise (variance correction, floors, clamp)', () => {
    // set.seed(11); s <- rpois(60, 0.6); s[50] <- s[50] + 5; s[51] <- s[51] + 4
    // For each day i ≥ B+g+1: z_w updated, m/sd of y[(i-g-B):(i-g-1)], σ_w = max(σmin, sd·c_w + k_w),
    // clamp |stat| > round(qt(.99, 27), 5), p = 1 − pt(stat, 27); the smaller p of w = 0.4, 0.9.
    const y = [0, 0, 0, 0, 0, 2, 0, 0, 2, 0, 0, 0, 2, 1, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 0, 6, 4, 1, 0, 0, 0, 0, 0, 1, 0, 1];
    // [t, mean, σ, statistic, p]
    const R: [number, number, number, number, number][] = [
      [30, 0.357142857142857, 0.783437152927128, -0.455866631941664, 0.673934339105563],
      [31, 0.357142857142857, 0.783437152927128, -0.45586663297557, 0.673934339472636],
      [32, 0.357142857142857, 0.783437152927128, -0.455866633078961, 0.673934339509344],
      [33, 0.357142857142857, 0.783437152927128, -0.4558666330893, 0.673934339513014],
      [34, 0.357142857142857, 0.783437152927128, 0.692917282297597, 0.247139521567908],
      [35, 0.357142857142857, 0.783437152927128, 0.807795673836287, 0.213134085698374],
      [36, 0.285714285714286, 0.377555756375168, 0.260876369335244, 0.398083681085722],
      [37, 0.321428571428571, 0.383798897900365, -0.236850015803675, 0.592719516498345],
      [38, 0.357142857142857, 0.730784127936034, -0.487357132603229, 0.685030540873435],
      [39, 0.285714285714286, 0.650428635268387, -0.439118560019166, 0.667965048430594],
      [40, 0.285714285714286, 0.650428635268387, -0.439255546607961, 0.668014058624762],
      [41, 0.285714285714286, 0.650428635268387, -0.439269245266841, 0.668018959477185],
      [42, 0.285714285714286, 0.650428635268387, -0.439270615132729, 0.668019449560757],
      [43, 0.214285714285714, 0.542625220356365, 1.26369779709824, 0.108570459122386],
      [44, 0.178571428571429, 0.277110767984313, 0.244962759319369, 0.40416875805697],
      [45, 0.142857142857143, 0.277110767984313, 1.46156285534949, 0.0777014519060617],
      [46, 0.142857142857143, 0.277110767984313, 2.11419437180534, 0.021938507283598],
      [47, 0.142857142857143, 0.277110767984313, 1.06230717998393, 0.148753016247361],
      [48, 0.178571428571429, 0.277110767984313, 0.302293962954037, 0.382372235314807],
      [49, 0.214285714285714, 0.542625220356365, 9.55854057485196, 1.85338189240269e-10],
      [50, 0.214285714285714, 0.282952310022522, 6.83533076465056, 1.2101221158467e-7],
      [51, 0.214285714285714, 0.282952310022522, 2.59433340398408, 0.00756550043644355],
      [52, 0.392857142857143, 0.671662124157852, 0.23151700157193, 0.409329401936734],
      [53, 0.535714285714286, 0.765828398005771, -0.269902865845107, 0.605356392382089],
      [54, 0.571428571428571, 1.39950253881562, -0.407554080303495, 0.656592710687184],
      [55, 0.571428571428571, 1.39950253881562, -0.408232922376945, 0.656838921448214],
      [56, 0.571428571428571, 1.39950253881562, -0.40830080658429, 0.656863538658605],
      [57, 0.571428571428571, 1.39950253881562, 0.234778055101518, 0.408076206015222],
      [58, 0.571428571428571, 1.39950253881562, -0.343999708836444, 0.633244384816801],
      [59, 0.571428571428571, 1.39950253881562, 0.241208164876302, 0.405608088401179],
    ];
    const pts = essencePoints(y, 0);
    expect(pts.map((p) => p.t)).toEqual(R.map((r) => r[0]));
    pts.forEach((p, i) => {
      const [t, m, sg, st, pv] = R[i]!;
      expect(p.model, `t ${t}`).toBe('ewma');
      close(p.expected, m, 1e-12);
      close(p.sigma, sg, 1e-12);
      close(p.statistic, st, 1e-10);
      close(p.pValue, pv, 1e-10);
    });
    // The planted rise: red on its two days, and the clamp keeps day 51 from staying red for long.
    expect(pts.filter((p) => p.level === 'red').map((p) => p.t)).toEqual([49, 50, 51]);
  });
});

describe('ESSENCE baseline, guard band and switch', () => {
  it('keeps the two guard days out of the baseline: a spike enters it on the third day after', () => {
    const y = new Array<number>(50).fill(5);
    y[40] = 50;
    const s = essence(y, 0);
    // Days 41 and 42 still see the flat baseline (mean 5); day 43 has the spike in its baseline.
    expect(s.expected[41]).toBe(5);
    expect(s.expected[42]).toBe(5);
    expect(s.model[43]).not.toBe(0);
    expect(s.expected[43]! === 5).toBe(false);
  });

  it('starts at day B + g, leaves earlier days empty, and honours other baselines', () => {
    const y = Array.from({ length: 40 }, (_, i) => i % 3);
    const s = essence(y, 0);
    expect(s.first).toBe(30);
    expect(Number.isNaN(s.pValue[29]!)).toBe(true);
    expect(s.model[29]).toBe(0);
    expect(essence(y, 0, { baseline: 14, guard: 0 }).first).toBe(14);
    expect(() => essence(y, 0, { baseline: 30 })).toThrow(/multiple of 7/);
  });

  it('switches on adjusted R² ≥ 0.60', () => {
    const y = Array.from({ length: 40 }, (_, d) => (d % 7 === 5 || d % 7 === 6 ? 2 : 20) + (d % 3));
    const s = essence(y, 0);
    for (let t = s.first; t < y.length; t++) expect(s.model[t]).toBe(s.adjR2[t]! >= 0.6 ? MODEL_REGRESSION : MODEL_EWMA);
    expect(essence(y, 0, { r2Switch: 1.1 }).model[35]).toBe(MODEL_EWMA);
  });

  it('levels: red p < 0.01, yellow p < 0.05', () => {
    expect(essenceLevel(0.0099)).toBe('red');
    expect(essenceLevel(0.01)).toBe('yellow');
    expect(essenceLevel(0.0499)).toBe('yellow');
    expect(essenceLevel(0.05)).toBe('none');
    expect(essenceLevel(Number.NaN)).toBe('none');
    expect(ESSENCE_DEFAULTS).toMatchObject({ baseline: 28, guard: 2, w1: 0.4, w2: 0.9, r2Switch: 0.6 });
  });
});

describe('EARS over a whole series (earsSeries, the bulk form the signals run uses)', () => {
  // The golden series (R surveillance::earsC checks ears() on them) and a long sparse one.
  const g = readGolden<{ series: Record<'daily' | 'sparse', number[]> }>('ears.json');
  const rng = randomLcg(9);
  const long = Array.from({ length: 2000 }, () => randomPoisson.source(rng)(0.4)());
  for (const [name, y] of [...Object.entries(g.series), ['long', long]] as [string, number[]][]) {
    for (const method of ['C1', 'C2', 'C3'] as EarsMethod[]) {
      for (const minSigma of [0, 0.5, 1]) {
        it(`${method} on ${name}, minSigma ${minSigma}: the same numbers as ears()`, () => {
          const ref = ears(y, { method, minSigma });
          const bulk = earsSeries(y, { method, minSigma });
          expect(bulk.first).toBe(ref[0]?.t ?? bulk.first);
          for (const p of ref) {
            expect(bulk.expected[p.t]).toBe(p.expected);
            expect(bulk.sd[p.t]).toBe(p.sd);
            expect(Number.isNaN(bulk.statistic[p.t]!) ? null : bulk.statistic[p.t]).toBe(p.statistic);
            expect(Number.isNaN(bulk.threshold[p.t]!) ? null : bulk.threshold[p.t]).toBe(p.threshold);
            expect(bulk.alarm[p.t] === 1).toBe(p.alarm);
          }
          for (let t = 0; t < bulk.first; t++) expect(bulk.alarm[t]).toBe(0);
          if (method === 'C3') {
            // The alarm is "y > 0 and the two previous days' C2 excess above z".
            const z = 1.959963984540054;
            // (Where today's sd is 0 the bound is y itself, or NA: no alarm either way.)
            for (const p of ref) if (p.sd > 0) expect(p.alarm).toBe(p.observed > 0 && bulk.lagExcess[p.t]! > z);
          }
        });
      }
    }
  }
});

/** Least squares by the normal equations and Gaussian elimination (independent of essence.ts). */
function solveLeastSquares(X: number[][], y: number[]): number[] {
  const p = X[0]!.length;
  const A = Array.from({ length: p }, (_, i) => [
    ...Array.from({ length: p }, (_, j) => X.reduce((s, r) => s + r[i]! * r[j]!, 0)),
    X.reduce((s, r, k) => s + r[i]! * y[k]!, 0),
  ]);
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[piv]![c]!)) piv = r;
    [A[c], A[piv]] = [A[piv]!, A[c]!];
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const f = A[r]![c]! / A[c]![c]!;
      for (let j = c; j <= p; j++) A[r]![j]! -= f * A[c]![j]!;
    }
  }
  return A.map((row, i) => row[p]! / row[i]!);
}
