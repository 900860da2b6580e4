using Microsoft.ML;
using Microsoft.ML.Data;

namespace HParamsNet.MLNet;

/// <summary>
/// A multiclass model's score slots follow its label key order (order of first appearance unless
/// the pipeline sorts), not the class numbers: what puts a model's scores in class order, for the
/// out-of-fold predictions and for the ensemble's average alike.
/// </summary>
internal static class ClassSlots
{
    /// <summary>Each score slot's class, from the predicted label's key values; empty when there are none (slot k is then class k).</summary>
    public static int[] Of(DataViewSchema schema)
    {
        if (schema.GetColumnOrNull("PredictedLabel") is not { } predicted || predicted.Annotations.Schema.GetColumnOrNull("KeyValues") is not { Type: VectorDataViewType { ItemType: NumberDataViewType } })
        {
            return [];
        }

        VBuffer<float> keys = default;
        predicted.GetKeyValues(ref keys);
        return [.. keys.DenseValues().Select(k => (int)k)];
    }

    /// <summary>The slots a model with these <paramref name="slotClasses"/> writes.</summary>
    public static int Count(int[] slotClasses, int classes) => slotClasses.Length > 0 ? slotClasses.Length : classes;

    /// <summary>Adds <paramref name="weight"/> × each slot's score to its class in <paramref name="byClass"/>.</summary>
    public static void AddInClassOrder(ReadOnlySpan<float> slots, int[] slotClasses, double weight, Span<float> byClass)
    {
        for (int s = 0; s < slots.Length; s++)
        {
            byClass[slotClasses.Length > s ? slotClasses[s] : s] += (float)(weight * slots[s]);
        }
    }
}
