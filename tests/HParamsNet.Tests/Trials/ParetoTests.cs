using FsCheck;
using FsCheck.Fluent;
using HParamsNet.Trials;

namespace HParamsNet.Tests.Trials;

/// <summary>Dominance, non-dominated sorting, crowding and hypervolume against cases worked by hand, and their laws on random points.</summary>
public class ParetoTests
{
    [Test]
    public void Dominance_needs_no_worse_in_every_coordinate_and_better_in_one()
    {
        Assert.That(Pareto.Dominates([1, 2], [2, 2]), Is.True);
        Assert.That(Pareto.Dominates([1, 2], [1, 2]), Is.False, "equal points do not dominate each other");
        Assert.That(Pareto.Dominates([1, 3], [2, 2]), Is.False, "a trade-off");
        Assert.That(() => Pareto.Dominates([1], [1, 2]), Throws.ArgumentException.With.Message.Contains("1 and 2 coordinates"));
    }

    [Test]
    public void Constrained_domination_puts_feasibility_first_then_the_smaller_violation()
    {
        Assert.That(Pareto.ConstrainedDominates([9, 9], 0, [0, 0], 0.1), Is.True, "feasible beats infeasible whatever the values");
        Assert.That(Pareto.ConstrainedDominates([9, 9], 0.5, [0, 0], 1), Is.True, "of two infeasible, the smaller violation");
        Assert.That(Pareto.ConstrainedDominates([0, 0], 1, [9, 9], 0.5), Is.False);
        Assert.That(Pareto.Violation([-1, 0.5, 2]), Is.EqualTo(2.5));
        Assert.That(Pareto.Violation([-1, 0]), Is.Zero);
    }

    [Test]
    public void Non_dominated_ranks_peel_fronts_as_worked_by_hand()
    {
        // (1,5) (2,3) (4,1) are the front; (3,4) is dominated by (2,3) only; (5,5) by everything before it.
        double[][] points = [[1, 5], [3, 4], [2, 3], [4, 1], [5, 5], [2, 3]];

        Assert.That(Pareto.NonDominatedRanks(points), Is.EqualTo(new[] { 0, 1, 0, 0, 2, 0 }));
        Assert.That(Pareto.Front(points), Is.EqualTo(new[] { 0, 2, 3, 5 }), "equal points are both on the front");
        Assert.That(Pareto.NonDominatedRanks(points, [0, 0, 0, 0, 0, 1]), Is.EqualTo(new[] { 0, 1, 0, 0, 2, 3 }), "an infeasible point after every feasible one");
    }

    [Test]
    public void Crowding_keeps_the_ends_and_measures_the_gaps_between_neighbours()
    {
        double[] distances = Pareto.CrowdingDistances([[0, 4], [1, 2], [3, 1], [4, 0]]);

        Assert.That(distances[0], Is.EqualTo(double.PositiveInfinity));
        Assert.That(distances[3], Is.EqualTo(double.PositiveInfinity));
        Assert.That(distances[1], Is.EqualTo((3.0 / 4) + (3.0 / 4)).Within(1e-12)); // (3-0)/4 + (4-1)/4
        Assert.That(distances[2], Is.EqualTo((3.0 / 4) + (2.0 / 4)).Within(1e-12)); // (4-1)/4 + (2-0)/4
    }

    [Test]
    public void Hypervolume_of_hand_worked_sets_in_two_and_three_dimensions()
    {
        Assert.That(Hypervolume.Of([[1, 2], [2, 1]], [3, 3]), Is.EqualTo(3).Within(1e-12)); // 2 + 2 - 1
        Assert.That(Hypervolume.Of([[1, 2], [2, 1], [2, 2], [4, 0]], [3, 3]), Is.EqualTo(3).Within(1e-12), "dominated and outside points add nothing");
        Assert.That(Hypervolume.Of([[0.5, 0.5, 0.5]], [1, 1, 1]), Is.EqualTo(0.125).Within(1e-12));
        Assert.That(Hypervolume.Of([[0, 0, 0.5], [0.5, 0.5, 0]], [1, 1, 1]), Is.EqualTo(0.625).Within(1e-12)); // 0.5 + 0.25 - 0.125
        Assert.That(Hypervolume.Of([[0.5, 0.5, 0.5, 0.5]], [1, 1, 1, 1]), Is.EqualTo(0.0625).Within(1e-12));
        Assert.That(Hypervolume.Of([], [1, 1]), Is.Zero);
        Assert.That(() => Hypervolume.Of([[1, double.NaN]], [3, 3]), Throws.ArgumentException.With.Message.Contains("is not a point of 2 coordinates"));
    }

    [Test]
    public void Hypervolume_of_the_zdt1_front_approaches_the_suites_true_value()
    {
        // 2,001 points on f2 = 1 - sqrt(f1): the staircase's area approaches 121 - 1/3 from below.
        var front = Enumerable.Range(0, 2001).Select(i => i / 2000.0).Select(f1 => new[] { f1, 1 - Math.Sqrt(f1) });

        Assert.That(Hypervolume.Of(front, [11, 11]), Is.EqualTo(121 - (1.0 / 3)).Within(2e-3).And.LessThan(121 - (1.0 / 3)));
    }

    [Test]
    public void The_improvement_of_a_point_is_the_volume_it_adds()
    {
        double[][] front = [[1, 2], [2, 1]];

        Assert.That(Hypervolume.Improvement(front, [1, 1], [3, 3]), Is.EqualTo(1).Within(1e-12));
        Assert.That(Hypervolume.Improvement(front, [2, 2], [3, 3]), Is.Zero, "a dominated point adds nothing");
        Assert.That(Hypervolume.Improvement(front, [0, 4], [3, 3]), Is.Zero, "outside the reference point");
    }

    private static Arbitrary<double[][]> Points(int dimensions) =>
        Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(0, 20).Select(v => v / 2.0), dimensions)).ToArbitrary();

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property A_front_never_holds_a_dominated_point_and_every_other_point_is_dominated_by_it() =>
        Prop.ForAll(Points(2), points =>
        {
            var front = Pareto.Front(points);
            bool noneDominated = front.All(i => !points.Any(p => Pareto.Dominates(p, points[i])));
            bool restDominated = Enumerable.Range(0, points.Length).Except(front).All(i => front.Any(f => Pareto.Dominates(points[f], points[i])));
            bool ranksAgree = Pareto.NonDominatedRanks(points).Select((r, i) => (r, i)).Where(p => p.r == 0).Select(p => p.i).SequenceEqual(front);
            return noneDominated && restDominated && ranksAgree;
        });

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property Hypervolume_never_decreases_as_points_are_added_and_grows_by_each_improvement() =>
        Prop.ForAll(Points(3), points =>
        {
            double[] reference = [11, 11, 11];
            double before = 0;
            for (int n = 1; n <= points.Length; n++)
            {
                double after = Hypervolume.Of(points.Take(n), reference);
                double improvement = Hypervolume.Improvement(points.Take(n - 1).ToList(), points[n - 1], reference);
                if (after < before - 1e-9 || Math.Abs(after - before - improvement) > 1e-6 * Math.Max(1, after))
                {
                    return false;
                }

                before = after;
            }

            return true;
        });

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property Hypervolume_in_three_dimensions_with_a_flat_third_is_the_area_times_its_depth() =>
        Prop.ForAll(Points(2), points =>
        {
            double area = Hypervolume.Of(points, [11, 11]);
            double volume = Hypervolume.Of(points.Select(p => new[] { p[0], p[1], 1.0 }), [11, 11, 3]);
            return Math.Abs(volume - (2 * area)) < 1e-9 * Math.Max(1, volume);
        });
}

/// <summary>The GP's sorted two-objective front gives the hypervolume improvement the general algorithm gives.</summary>
public class SortedFrontTests
{
    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property The_sorted_front_adds_what_the_general_algorithm_adds() =>
        Prop.ForAll(
            Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(0, 24).Select(v => v / 2.0), 2)).ToArbitrary(),
            Gen.ArrayOf(Gen.Choose(0, 24).Select(v => v / 2.0), 2).ToArbitrary(),
            (points, point) =>
            {
                double[] reference = [11, 11];
                var front = Pareto.Front(points).Select(i => points[i]).ToList();
                double expected = Hypervolume.Improvement(front, point, reference);
                double actual = new HParamsNet.Tuning.Strategies.SortedFront2D(front, reference).Improvement(point);
                return (Math.Abs(expected - actual) < 1e-9).Label($"expected {expected}, got {actual}");
            });
}
