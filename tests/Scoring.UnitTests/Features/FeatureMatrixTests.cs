using Vigil.Scoring.Detectors.Statistical;
using Vigil.Scoring.Features;

namespace Vigil.Scoring.UnitTests.Features;

public sealed class FeatureMatrixTests
{
    private static readonly FeatureMatrix Fitted = new([1, 2, 3, 4, 5, 6, 7, 8, 9], 3, ["amount", "fee", "items"]);

    [Fact]
    public void A_detector_refuses_features_in_another_order_naming_the_first_that_differs()
    {
        var detector = StatisticalDetector.Fit(Fitted);
        var swapped = new FeatureMatrix([1, 2, 3], 1, ["amount", "items", "fee"]);

        var error = Assert.Throws<ArgumentException>(() => detector.Score(swapped));

        Assert.Contains("Feature 1 is 'items' but the statistical detector was fitted with 'fee' there", error.Message);
    }

    [Fact]
    public void A_detector_refuses_a_matrix_of_another_width_with_both_counts()
    {
        var detector = StatisticalDetector.Fit(Fitted);

        var error = Assert.Throws<ArgumentException>(() => detector.Score(new FeatureMatrix([1, 2], 1, ["amount", "fee"])));

        Assert.Contains("fitted on 3 features; the matrix has 2", error.Message);
    }
}
