global using NUnit.Framework;

// Every test here loads libtorch and most train models: integration tests (TestCategories).
[assembly: Category(HParamsNet.Tests.Common.TestCategories.Integration)]
