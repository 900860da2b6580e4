using Microsoft.ML;
using Microsoft.ML.Data;

namespace HParamsNet.MLNet;

/// <summary>
/// A data view with a schema and no rows: what fitting the ensemble's column plumbing needs (those
/// estimators read only the schema) when there is a schema but no data, as after loading.
/// </summary>
internal sealed class SchemaOnlyDataView(DataViewSchema schema) : IDataView
{
    public bool CanShuffle => false;

    public DataViewSchema Schema { get; } = schema;

    public long? GetRowCount() => 0;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new NoRows(Schema);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new NoRows(Schema)];

    private sealed class NoRows(DataViewSchema schema) : DataViewRowCursor
    {
        public override DataViewSchema Schema { get; } = schema;

        public override long Position => -1;

        public override long Batch => 0;

        public override bool MoveNext() => false;

        public override ValueGetter<DataViewRowId> GetIdGetter() => throw new InvalidOperationException("A view without rows has no row to read.");

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => throw new InvalidOperationException("A view without rows has no row to read.");

        public override bool IsColumnActive(DataViewSchema.Column column) => true;
    }
}
