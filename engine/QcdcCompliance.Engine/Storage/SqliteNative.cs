using System.Runtime.InteropServices;

namespace QcdcCompliance.Storage;

/// <summary>
/// The SQLite C functions that a bulk write or read calls for every value (bind, step, reset, column), called through
/// function pointers into the very library SQLitePCLRaw loaded (resolved as its provider resolves it), the statement
/// held as a raw pointer. Through SQLitePCLRaw every such call dispatches through its provider's interface and takes
/// and releases a reference on the statement's <see cref="SafeHandle"/>: a first run's 400,353 findings of 18 columns
/// are 7 million calls, on the one core that SQLite's writer has.
/// </summary>
internal static unsafe class SqliteNative
{
    // Resolved from the provider's assembly, whose own imports name "e_sqlite3": through any resolver registered for it,
    // to the file it loaded (loading a loaded library returns the same handle).
    private static readonly nint Library = Load();

    // Binding a number where a number was bound writes into the statement's memory and returns: no transition to
    // preemptive mode (every caller binds a column with one type of value, or NULL).
    private static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, long, int> BindInt64Function =
        (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, long, int>)Export("sqlite3_bind_int64");

    private static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, double, int> BindDoubleFunction =
        (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, double, int>)Export("sqlite3_bind_double");

    // NULL may replace a text, which SQLite then frees, and a text or blob is copied by SQLite (SQLITE_TRANSIENT), which
    // allocates: an ordinary transition for those.
    private static readonly delegate* unmanaged[Cdecl]<nint, int, int> BindNullFunction = (delegate* unmanaged[Cdecl]<nint, int, int>)Export("sqlite3_bind_null");

    private static readonly delegate* unmanaged[Cdecl]<nint, int, byte*, int, nint, int> BindTextFunction =
        (delegate* unmanaged[Cdecl]<nint, int, byte*, int, nint, int>)Export("sqlite3_bind_text");

    private static readonly delegate* unmanaged[Cdecl]<nint, int, byte*, int, nint, int> BindBlobFunction =
        (delegate* unmanaged[Cdecl]<nint, int, byte*, int, nint, int>)Export("sqlite3_bind_blob");

    // Reading a column of the current row returns what the statement holds.
    private static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, int> ColumnIntFunction =
        (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, int>)Export("sqlite3_column_int");

    private static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, long> ColumnInt64Function =
        (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, long>)Export("sqlite3_column_int64");

    private static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, int> ColumnTypeFunction =
        (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, int>)Export("sqlite3_column_type");

    private static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, byte*> ColumnBlobFunction =
        (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, byte*>)Export("sqlite3_column_blob");

    private static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, int> ColumnBytesFunction =
        (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, int>)Export("sqlite3_column_bytes");

    private static readonly delegate* unmanaged[Cdecl]<nint, int> StepFunction = (delegate* unmanaged[Cdecl]<nint, int>)Export("sqlite3_step");

    private static readonly delegate* unmanaged[Cdecl]<nint, int> ResetFunction = (delegate* unmanaged[Cdecl]<nint, int>)Export("sqlite3_reset");

    /// <summary>SQLITE_TRANSIENT: SQLite copies what is bound before the call returns.</summary>
    private const nint Transient = -1;

    /// <summary>What an empty text or blob points at: a null pointer would bind NULL.</summary>
    private static readonly byte* Empty = (byte*)NativeMemory.AllocZeroed(1);

    private static nint Export(string name) => NativeLibrary.GetExport(Library, name);

    /// <summary>The library, once SQLitePCLRaw is known to have loaded it: a statement of another library must never be handed to it.</summary>
    private static nint Load()
    {
        if (SQLitePCL.raw.GetNativeLibraryName() is var name && name != "e_sqlite3")
            throw new InvalidOperationException($"SQLite is provided by '{name}', not the bundled e_sqlite3 that QcdcCompliance's bulk reads and writes call");
        return NativeLibrary.Load("e_sqlite3", typeof(SQLitePCL.SQLite3Provider_e_sqlite3).Assembly, null);
    }

    /// <summary>
    /// A prepared statement's pointer, its handle referenced until disposed (it cannot be finalised meanwhile). Used by
    /// one thread, as the connection it belongs to.
    /// </summary>
    internal readonly struct Statement : IDisposable
    {
        private readonly SQLitePCL.sqlite3_stmt _handle;
        private readonly nint _pointer;

        public Statement(SQLitePCL.sqlite3_stmt handle)
        {
            var added = false;
            handle.DangerousAddRef(ref added);
            (_handle, _pointer) = (handle, handle.DangerousGetHandle());
        }

        public int BindInt64(int index, long value) => BindInt64Function(_pointer, index, value);

        public int BindDouble(int index, double value) => BindDoubleFunction(_pointer, index, value);

        public int BindNull(int index) => BindNullFunction(_pointer, index);

        /// <summary>A text as UTF-8; an empty one is an empty text, not NULL.</summary>
        public int BindText(int index, ReadOnlySpan<byte> utf8)
        {
            fixed (byte* text = utf8)
                return BindTextFunction(_pointer, index, utf8.IsEmpty ? Empty : text, utf8.Length, Transient);
        }

        /// <summary>A blob; an empty one is an empty blob, not NULL.</summary>
        public int BindBlob(int index, ReadOnlySpan<byte> bytes)
        {
            fixed (byte* blob = bytes)
                return BindBlobFunction(_pointer, index, bytes.IsEmpty ? Empty : blob, bytes.Length, Transient);
        }

        public int ColumnInt(int index) => ColumnIntFunction(_pointer, index);

        public long ColumnInt64(int index) => ColumnInt64Function(_pointer, index);

        public bool ColumnIsNull(int index) => ColumnTypeFunction(_pointer, index) == SQLitePCL.raw.SQLITE_NULL;

        /// <summary>A column's bytes (a text's UTF-8), valid until the next step.</summary>
        public ReadOnlySpan<byte> ColumnBlob(int index)
        {
            // The pointer first, then its length, as SQLite's documentation orders them.
            var blob = ColumnBlobFunction(_pointer, index);
            return blob == null ? default : new ReadOnlySpan<byte>(blob, ColumnBytesFunction(_pointer, index));
        }

        public int Step() => StepFunction(_pointer);

        public int Reset() => ResetFunction(_pointer);

        public void Dispose() => _handle.DangerousRelease();
    }
}
