namespace HParamsNet.Events;

/// <summary>One point of a scalar series: what TensorBoard's scalars dashboard plots.</summary>
/// <param name="Step">The step.</param>
/// <param name="Value">The value (float32 values widened exactly).</param>
/// <param name="WallTime">Unix seconds.</param>
public readonly record struct ScalarPoint(long Step, double Value, double WallTime);

/// <summary>A scalar point of an event file, with the series (tag) it belongs to.</summary>
/// <param name="Tag">The series name.</param>
/// <param name="Point">The step, value and time.</param>
public readonly record struct ScalarEvent(string Tag, ScalarPoint Point)
{
    /// <summary>The point's step.</summary>
    public long Step => Point.Step;

    /// <summary>The point's value.</summary>
    public double Value => Point.Value;

    /// <summary>The point's time, Unix seconds.</summary>
    public double WallTime => Point.WallTime;
}
