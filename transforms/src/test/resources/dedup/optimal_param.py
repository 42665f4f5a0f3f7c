"""Prints (threshold, num_perm) -> (bands, rows) as datasketch's MinHashLSH._optimal_param computes them.

The fixture of LshBandsTest; a faithful copy of datasketch/lsh.py's grid search with scipy's quad.
Run: python optimal_param.py > optimal_param.tsv   (needs scipy)
"""
from scipy.integrate import quad as integrate


def false_positive(threshold, b, r):
    return integrate(lambda s: 1 - (1 - s ** float(r)) ** float(b), 0.0, threshold)[0]


def false_negative(threshold, b, r):
    return integrate(lambda s: 1 - (1 - (1 - s ** float(r)) ** float(b)), threshold, 1.0)[0]


def optimal_param(threshold, num_perm, fp_weight=0.5, fn_weight=0.5):
    best, opt = float("inf"), (0, 0)
    for b in range(1, num_perm + 1):
        for r in range(1, int(num_perm / b) + 1):
            error = fp_weight * false_positive(threshold, b, r) + fn_weight * false_negative(threshold, b, r)
            if error < best:
                best, opt = error, (b, r)
    return opt


CASES = [(0.7, 256), (0.7, 240), (0.7, 250), (0.45, 256), (0.5, 200), (0.8, 128), (0.9, 128), (0.75, 112),
         (0.5, 128), (0.85, 64)]
if __name__ == "__main__":
    print("threshold\tnum_perm\tbands\trows")
    for t, n in CASES:
        b, r = optimal_param(t, n)
        print(f"{t}\t{n}\t{b}\t{r}")
