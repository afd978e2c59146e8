namespace QcdcCompliance.Storage;

/// <summary>Sorting lists that usually arrive in order.</summary>
public static class ListOrder
{
    /// <summary>
    /// Sorts the list unless it is in order already (one pass): a file's rows usually come in the order they are stored
    /// and reported in, and a sort by a comparison costs a delegate call per comparison, n log n of them. The order must be
    /// total on the list's items (their keys unique), so that sorted or not the result is the same.
    /// </summary>
    public static void SortUnlessSorted<T>(this List<T> list, Comparison<T> order)
    {
        for (var i = 1; i < list.Count; i++)
        {
            if (order(list[i - 1], list[i]) > 0)
            {
                list.Sort(order);
                return;
            }
        }
    }

}
