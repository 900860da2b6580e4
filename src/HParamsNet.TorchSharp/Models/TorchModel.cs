using System.Diagnostics;
using HParamsNet.TorchSharp.Data;
using HParamsNet.TorchSharp.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HParamsNet.TorchSharp.Models;

/// <summary>
/// A network built from a <see cref="ModelSpec"/>, with its optimizer and loss: Keras' compiled
/// model. Dispose it to release its native memory (weights, optimizer state) before the next trial.
/// </summary>
public sealed class TorchModel : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _network;
    private readonly optim.Optimizer _optimizer;
    private readonly nn.Module<Tensor, Tensor, Tensor> _loss;
    private bool _disposed;

    private TorchModel(ModelSpec spec, ModelTask task, int inputs, nn.Module<Tensor, Tensor> network)
    {
        Spec = spec;
        Task = task;
        Inputs = inputs;
        _network = network;
        _optimizer = spec.Optimizer.Create(network.parameters());
        _loss = task.Kind switch
        {
            ModelTaskKind.BinaryClassification => nn.BCEWithLogitsLoss(),
            ModelTaskKind.MultiClassClassification => nn.CrossEntropyLoss(),
            _ => nn.MSELoss(),
        };
    }

    /// <summary>The description it was built from.</summary>
    public ModelSpec Spec { get; }

    /// <summary>The task.</summary>
    public ModelTask Task { get; }

    /// <summary>Input features.</summary>
    public int Inputs { get; }

    /// <summary>Trainable parameters.</summary>
    public long ParameterCount => _network.parameters().Sum(p => p.numel());

    /// <summary>Builds the network, its weights initialised from <paramref name="seed"/>.</summary>
    /// <param name="spec">The description; must have an output (<see cref="ModelSpec.Output"/>).</param>
    /// <param name="inputs">Input features.</param>
    /// <param name="seed">Seeds torch's generator before the weights are drawn.</param>
    /// <exception cref="ArgumentException">The spec has no output layer.</exception>
    /// <exception cref="InvalidOperationException">TorchSharp cannot run here; the message says why.</exception>
    public static TorchModel Build(ModelSpec spec, int inputs, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        ModelTask task = spec.Task ?? throw new ArgumentException("The model has no output layer: call ModelSpec.Output(task) before building it.", nameof(spec));
        TorchSharpRuntime.EnsureAvailable();
        torch.manual_seed(seed);

        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        long width = inputs;
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            switch (spec.Layers[i])
            {
                case DenseLayer dense:
                    layers.Add(($"dense_{i}", nn.Linear(width, dense.Units)));
                    width = dense.Units;
                    if (ActivationModule(dense.Activation) is { } activation)
                    {
                        layers.Add(($"{dense.Activation.ToString().ToLowerInvariant()}_{i}", activation));
                    }

                    break;
                case DropoutLayer dropout:
                    layers.Add(($"dropout_{i}", nn.Dropout(dropout.Rate)));
                    break;
                default:
                    throw new NotSupportedException($"Layer {spec.Layers[i]} is not supported.");
            }
        }

        layers.Add(("output", nn.Linear(width, task.Outputs)));
        return new TorchModel(spec, task, inputs, nn.Sequential(layers));
    }

    /// <summary>
    /// Trains the model (Keras' <c>fit</c>): mini-batch gradient descent over
    /// <see cref="FitOptions.Epochs"/> epochs, callbacks after each epoch.
    /// </summary>
    /// <param name="train">Training data; its targets must suit the task.</param>
    /// <param name="options">How to train.</param>
    /// <param name="validation">Validation data, evaluated after each epoch; overrides <see cref="FitOptions.ValidationSplit"/>.</param>
    /// <param name="cancellationToken">Stops training between batches; callbacks see Failure.</param>
    /// <returns>The loss and metric of every epoch.</returns>
    public TrainingHistory Fit(TabularDataset train, FitOptions options, TabularDataset? validation = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckData(train, nameof(train));
        if (options.Threads is int threads)
        {
            torch.set_num_threads(threads);
        }

        if (validation is null && options.ValidationSplit > 0)
        {
            int held = (int)(train.Count * options.ValidationSplit);
            validation = train.Select(Enumerable.Range(train.Count - held, held).ToArray());
            train = train.Select(Enumerable.Range(0, train.Count - held).ToArray());
        }

        if (validation is not null)
        {
            CheckData(validation, nameof(validation));
        }

        foreach (IFitCallback callback in options.Callbacks)
        {
            callback.OnTrainBegin();
        }

        var epochs = new List<EpochResult>(options.Epochs);
        SessionStatus status = SessionStatus.Failure;
        try
        {
            torch.manual_seed(options.Seed);
            var random = new Random(options.Seed);
            using Tensor features = train.FeaturesTensor();
            using Tensor targets = train.TargetsTensor(Task.Kind == ModelTaskKind.MultiClassClassification);
            long[] order = Enumerable.Range(0, train.Count).Select(i => (long)i).ToArray();
            for (int epoch = 0; epoch < options.Epochs; epoch++)
            {
                var clock = Stopwatch.StartNew();
                if (options.Shuffle)
                {
                    random.Shuffle(order);
                }

                (double loss, double metric) = TrainEpoch(features, targets, order, options.BatchSize, cancellationToken);
                Evaluation? validated = validation is null ? null : Evaluate(validation);
                var result = new EpochResult(epoch, loss, metric, validated?.Loss, validated?.Metric, clock.Elapsed);
                epochs.Add(result);
                foreach (IFitCallback callback in options.Callbacks)
                {
                    if (callback is IModelFitCallback withModel)
                    {
                        withModel.OnEpochEnd(result, this);
                    }
                    else
                    {
                        callback.OnEpochEnd(result);
                    }
                }
            }

            status = SessionStatus.Success;
        }
        finally
        {
            foreach (IFitCallback callback in options.Callbacks)
            {
                callback.OnTrainEnd(status);
            }
        }

        return new TrainingHistory(epochs);
    }

    /// <summary>The mean loss and the task's metric on <paramref name="data"/> (Keras' <c>evaluate</c>).</summary>
    /// <param name="data">Data with targets.</param>
    /// <param name="batchSize">Rows per forward pass.</param>
    public Evaluation Evaluate(TabularDataset data, int batchSize = 1024)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(data);
        CheckData(data, nameof(data));
        _network.eval();
        using var noGrad = torch.no_grad();
        using Tensor features = data.FeaturesTensor();
        using Tensor targets = data.TargetsTensor(Task.Kind == ModelTaskKind.MultiClassClassification);
        double lossSum = 0;
        double metricSum = 0;
        for (long start = 0; start < data.Count; start += batchSize)
        {
            using var scope = torch.NewDisposeScope();
            long length = Math.Min(batchSize, data.Count - start);
            Tensor x = features.narrow(0, start, length);
            Tensor y = targets.narrow(0, start, length);
            Tensor output = _network.call(x);
            lossSum += _loss.call(output, y).item<float>() * length;
            metricSum += MetricSum(output, y);
        }

        return new Evaluation(lossSum / data.Count, metricSum / data.Count, Task.MetricName);
    }

    /// <summary>
    /// Predictions: the class index of each row for classification, the predicted value for
    /// regression (Keras' <c>predict</c>, with argmax/threshold applied).
    /// </summary>
    /// <param name="data">Rows to predict; targets are ignored.</param>
    public float[] Predict(TabularDataset data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(data);
        _network.eval();
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        Tensor output = _network.call(data.FeaturesTensor());
        Tensor predicted = Task.Kind switch
        {
            ModelTaskKind.MultiClassClassification => output.argmax(1).to_type(ScalarType.Float32),
            ModelTaskKind.BinaryClassification => output.gt(0).to_type(ScalarType.Float32).reshape(-1),
            _ => output.reshape(-1),
        };
        return predicted.data<float>().ToArray();
    }

    /// <summary>
    /// Each class's predicted probability per row, row by row: one column (the positive class) for
    /// a binary model, one per class (softmax) for a multi-class one.
    /// </summary>
    /// <param name="data">Rows to predict; targets are ignored.</param>
    /// <exception cref="InvalidOperationException">The model is a regression.</exception>
    public float[][] PredictProbabilities(TabularDataset data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(data);
        if (!Task.IsClassification)
        {
            throw new InvalidOperationException($"A {Task.Kind} model predicts values, not probabilities; use Predict.");
        }

        _network.eval();
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        Tensor output = _network.call(data.FeaturesTensor());
        Tensor probabilities = Task.Kind == ModelTaskKind.BinaryClassification ? output.sigmoid().reshape(-1, 1) : output.softmax(1);
        int columns = (int)probabilities.shape[1];
        float[] flat = probabilities.data<float>().ToArray();
        return [.. Enumerable.Range(0, data.Count).Select(r => flat.AsSpan(r * columns, columns).ToArray())];
    }

    /// <summary>
    /// The network's parameters by name (e.g. <c>0.weight</c>): their values and, after a training
    /// step, their gradients (what the last batch's backward pass left), for histograms.
    /// </summary>
    public IReadOnlyList<(string Name, float[] Values, float[]? Gradients)> Parameters()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return [.. _network.named_parameters().Select(p => (p.name, p.parameter.data<float>().ToArray(), p.parameter.grad is { } grad ? grad.data<float>().ToArray() : null))];
    }

    /// <summary>Releases the weights and optimizer state.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _optimizer.Dispose();
        _loss.Dispose();
        _network.Dispose();
    }

    private (double Loss, double Metric) TrainEpoch(Tensor features, Tensor targets, long[] order, int batchSize, CancellationToken cancellationToken)
    {
        _network.train();
        double lossSum = 0;
        double metricSum = 0;
        for (int start = 0; start < order.Length; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = torch.NewDisposeScope();
            int length = Math.Min(batchSize, order.Length - start);
            Tensor index = torch.tensor(order.AsSpan(start, length).ToArray(), ScalarType.Int64);
            Tensor x = features.index_select(0, index);
            Tensor y = targets.index_select(0, index);
            _optimizer.zero_grad();
            Tensor output = _network.call(x);
            Tensor loss = _loss.call(output, y);
            loss.backward();
            _optimizer.step();
            lossSum += loss.item<float>() * length;
            using (torch.no_grad())
            {
                metricSum += MetricSum(output, y);
            }
        }

        return (lossSum / order.Length, metricSum / order.Length);
    }

    // Sum over the batch: correct predictions (classification) or absolute errors (regression).
    private double MetricSum(Tensor output, Tensor targets) => Task.Kind switch
    {
        ModelTaskKind.MultiClassClassification => output.argmax(1).eq(targets).sum().item<long>(),
        ModelTaskKind.BinaryClassification => output.gt(0).eq(targets.gt(0.5)).sum().item<long>(),
        _ => (output - targets).abs().sum().item<float>(),
    };

    private void CheckData(TabularDataset data, string name)
    {
        if (data.Columns != Inputs)
        {
            throw new ArgumentException($"The model takes {Inputs} features; this data has {data.Columns}.", name);
        }

        if (data.Count == 0)
        {
            throw new ArgumentException("The data set is empty.", name);
        }

        if (Task.IsClassification && !data.IsClassification)
        {
            throw new ArgumentException($"A {Task.Kind} model needs class labels; this data set is for regression.", name);
        }

        if (Task.Kind == ModelTaskKind.BinaryClassification && data.ClassNames.Count != 2)
        {
            throw new ArgumentException($"A binary model needs 2 classes; this data set has {data.ClassNames.Count}.", name);
        }

        if (Task.Kind == ModelTaskKind.MultiClassClassification && data.ClassNames.Count > Task.Outputs)
        {
            throw new ArgumentException($"The model has {Task.Outputs} outputs; this data set has {data.ClassNames.Count} classes.", name);
        }
    }

    private static nn.Module<Tensor, Tensor>? ActivationModule(Activation activation) => activation switch
    {
        Activation.Relu => nn.ReLU(),
        Activation.Tanh => nn.Tanh(),
        Activation.Sigmoid => nn.Sigmoid(),
        _ => null,
    };
}
