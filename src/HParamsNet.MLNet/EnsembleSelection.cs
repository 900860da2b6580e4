namespace HParamsNet.MLNet;

/// <summary>
/// Ensemble selection (Caruana, Niculescu-Mizil, Crew and Ksikes, ICML 2004, "Ensemble selection
/// from libraries of models"): forward steps, each adding with replacement the candidate whose
/// addition gives the lowest loss of the averaged out-of-fold predictions. Models often err on
/// different rows (a linear model and boosted trees do), so an average of a few beats the best
/// one; adding with replacement gives weights and keeps a candidate from entering by luck once.
/// As in the paper, the ensemble kept is the one after the step with the lowest loss, so a
/// forced step that makes the average worse is not kept.
/// </summary>
internal static class EnsembleSelection
{
    // Log-loss of a probability of 0 is infinite; ML.NET's evaluators clamp the same way.
    private const double MinProbability = 1e-15;

    /// <summary>How many times each candidate was chosen in the best of the first <paramref name="steps"/> steps (the first step picks the best alone).</summary>
    /// <param name="candidates">Per candidate, its prediction for every row (see <see cref="OutOfFoldPredictions"/>); ties go to the earlier candidate.</param>
    /// <param name="labels">Each row's label: 0/1, a class index, or a value.</param>
    /// <param name="task">What is learnt, which says the loss: log-loss for classification, RMSE for regression.</param>
    /// <param name="steps">Models added at most.</param>
    public static int[] Select(IReadOnlyList<float[][]> candidates, IReadOnlyList<float> labels, MLTask task, int steps)
    {
        ArgumentOutOfRangeException.ThrowIfZero(candidates.Count);
        int rows = labels.Count;
        int width = candidates[0][0].Length;
        var sum = new double[rows * width];
        var counts = new int[candidates.Count];
        int[] kept = counts;
        double keptLoss = double.PositiveInfinity;
        for (int step = 1; step <= steps; step++)
        {
            int best = 0;
            double bestLoss = double.PositiveInfinity;
            for (int c = 0; c < candidates.Count; c++)
            {
                double loss = Loss(task, sum, candidates[c], step, labels);
                if (loss < bestLoss)
                {
                    (best, bestLoss) = (c, loss);
                }
            }

            counts[best]++;
            if (bestLoss < keptLoss)
            {
                (kept, keptLoss) = ([.. counts], bestLoss);
            }

            for (int r = 0; r < rows; r++)
            {
                for (int k = 0; k < width; k++)
                {
                    sum[(r * width) + k] += candidates[best][r][k];
                }
            }
        }

        return kept;
    }

    // The loss of (sum + added) / members, without building the average.
    private static double Loss(MLTask task, double[] sum, float[][] added, int members, IReadOnlyList<float> labels)
    {
        int width = added[0].Length;
        double total = 0;
        for (int r = 0; r < labels.Count; r++)
        {
            switch (task)
            {
                case MLTask.Regression:
                    double error = ((sum[r] + added[r][0]) / members) - labels[r];
                    total += error * error;
                    break;
                case MLTask.BinaryClassification:
                    double p = (sum[r] + added[r][0]) / members;
                    total -= Math.Log(Math.Max(MinProbability, labels[r] > 0.5f ? p : 1 - p));
                    break;
                default:
                    int y = (int)labels[r];
                    total -= Math.Log(Math.Max(MinProbability, (sum[(r * width) + y] + added[r][y]) / members));
                    break;
            }
        }

        return task == MLTask.Regression ? Math.Sqrt(total / labels.Count) : total / labels.Count;
    }
}
