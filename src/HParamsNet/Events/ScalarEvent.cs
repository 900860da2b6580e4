namespace HParamsNet.Events;

/// <summary>One scalar point as TensorBoard's scalars dashboard reads it.</summary>
/// <param name="Tag">The series name.</param>
/// <param name="Step">The step.</param>
/// <param name="WallTime">Unix seconds.</param>
/// <param name="Value">The value (float32 values widened exactly).</param>
public readonly record struct ScalarEvent(string Tag, long Step, double WallTime, double Value);
