//
// The interop half of NanoRnn.Native: nanoCLR calls these handlers for the InternalCall methods of
// NanoRnn.Native.NativeKernel (NativeKernel.cs), in the order they are declared there. Each handler
// takes the managed arguments off the stack frame, checks every array against the length the call
// needs (the C kernels cannot see lengths), and calls nanornn_kernels.c. A refused argument becomes
// the managed exception nanoCLR maps the error to; nothing has been written then.
//
// The checksum in g_CLR_AssemblyNative_NanoRnn_Native is the one nanoFramework's metadata processor
// computes from NativeKernel.cs's native method signatures (docs/native.md says how to see it); a
// change to those signatures changes it, and nanoCLR refuses to load an assembly whose checksum
// differs from the firmware's.
//

#include <nanoCLR_Interop.h>
#include <nanoCLR_Runtime.h>

#include "nanornn_kernels.h"

namespace
{

// The array argument n of the frame, with at least count elements of element_size bytes.
HRESULT ArrayArgument(CLR_RT_StackFrame &stack, int n, CLR_UINT32 count, CLR_UINT32 element_size, void *&elements)
{
    NANOCLR_HEADER();
    CLR_RT_HeapBlock_Array *array = stack.ArgN(n).DereferenceArray();
    FAULT_ON_NULL_ARG(array);
    if (array->m_sizeOfElement != element_size || array->m_numOfElements < count)
    {
        NANOCLR_SET_AND_LEAVE(CLR_E_INVALID_PARAMETER);
    }

    elements = array->GetFirstElement();
    NANOCLR_NOCLEANUP();
}

HRESULT FromKernel(int32_t code)
{
    switch (code)
    {
        case NANORNN_OK:
            return S_OK;
        case NANORNN_ERROR_NULL:
            return CLR_E_ARGUMENT_NULL;
        case NANORNN_ERROR_SIZE:
            return CLR_E_OUT_OF_RANGE;
        default:
            return CLR_E_INVALID_PARAMETER;
    }
}

CLR_INT32 IntArgument(CLR_RT_StackFrame &stack, int n)
{
    return stack.ArgN(n).NumericByRef().s4;
}

// A size the kernels accept, so that the length products below cannot overflow.
bool InRange(CLR_INT32 value)
{
    return value >= 1 && value <= NANORNN_MAX_DIM;
}

// void StepLayer(int cellType, int cellFracBits, int inputCount, int hiddenCount,
//                sbyte[] wx, sbyte[] wh, int[] bias, int[] mx, int[] mh, byte[] shift,
//                short[] input, int inputOffset, short[] pre, short[] gates, short[] cell, short[] hidden)
// Argument 0 is the NativeKernel instance.
HRESULT StepLayer(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_INT32 cell_type = IntArgument(stack, 1);
        CLR_INT32 cell_frac_bits = IntArgument(stack, 2);
        CLR_INT32 inputs = IntArgument(stack, 3);
        CLR_INT32 hidden = IntArgument(stack, 4);
        CLR_INT32 input_offset = IntArgument(stack, 12);
        if (cell_type < NANORNN_CELL_LSTM || cell_type > NANORNN_CELL_RNN_RELU)
        {
            NANOCLR_SET_AND_LEAVE(CLR_E_INVALID_PARAMETER);
        }

        if (!InRange(inputs) || !InRange(hidden) || input_offset < 0)
        {
            NANOCLR_SET_AND_LEAVE(CLR_E_OUT_OF_RANGE);
        }

        bool recurrent_only = cell_type == NANORNN_CELL_RNN_TANH || cell_type == NANORNN_CELL_RNN_RELU;
        CLR_UINT32 rows = (CLR_UINT32)(recurrent_only ? hidden : 4 * hidden);
        void *wx, *wh, *bias, *mx, *mh, *shift, *input, *pre, *gates, *cell, *h;
        NANOCLR_CHECK_HRESULT(ArrayArgument(stack, 5, rows * (CLR_UINT32)inputs, 1, wx));
        NANOCLR_CHECK_HRESULT(ArrayArgument(stack, 6, rows * (CLR_UINT32)hidden, 1, wh));
        NANOCLR_CHECK_HRESULT(ArrayArgument(stack, 7, rows, 4, bias));
        NANOCLR_CHECK_HRESULT(ArrayArgument(stack, 8, rows, 4, mx));
        NANOCLR_CHECK_HRESULT(ArrayArgument(stack, 9, rows, 4, mh));
        NANOCLR_CHECK_HRESULT(ArrayArgument(stack, 10, rows, 1, shift));
        NANOCLR_CHECK_HRESULT(ArrayArgument(stack, 11, (CLR_UINT32)input_offset + (CLR_UINT32)inputs, 2, input));
        NANOCLR_CHECK_HRESULT(ArrayArgument(stack, 13, rows, 2, pre));
        NANOCLR_CHECK_HRESULT(ArrayArgument(stack, 14, recurrent_only ? 0 : rows, 2, gates));
        NANOCLR_CHECK_HRESULT(ArrayArgument(stack, 15, cell_type == NANORNN_CELL_LSTM ? (CLR_UINT32)hidden : 0, 2, cell));
        NANOCLR_CHECK_HRESULT(ArrayArgument(stack, 16, (CLR_UINT32)hidden, 2, h));
        NANOCLR_SET_AND_LEAVE(FromKernel(nanornn_layer_step_s8_s16(
            cell_type, inputs, hidden, (int32_t)rows, cell_frac_bits,
            (const int8_t *)wx, (const int8_t *)wh, (const int32_t *)mx, (const int32_t *)mh, (const uint8_t *)shift,
            (const int32_t *)bias, (const int16_t *)input + input_offset,
            (int16_t *)pre, (int16_t *)gates, (int16_t *)cell, (int16_t *)h)));
    }
    NANOCLR_NOCLEANUP();
}

// The arrays of a head Linear: w [rows·columns], bias, multiplier, shift [rows], v [columns].
HRESULT DenseArguments(
    CLR_RT_StackFrame &stack, CLR_INT32 &rows, CLR_INT32 &columns,
    void *&w, void *&bias, void *&multiplier, void *&shift, void *&v)
{
    NANOCLR_HEADER();
    columns = IntArgument(stack, 6);
    rows = IntArgument(stack, 7);
    if (!InRange(rows) || !InRange(columns))
    {
        NANOCLR_SET_AND_LEAVE(CLR_E_OUT_OF_RANGE);
    }

    NANOCLR_CHECK_HRESULT(ArrayArgument(stack, 1, (CLR_UINT32)rows * (CLR_UINT32)columns, 1, w));
    NANOCLR_CHECK_HRESULT(ArrayArgument(stack, 2, (CLR_UINT32)rows, 4, bias));
    NANOCLR_CHECK_HRESULT(ArrayArgument(stack, 3, (CLR_UINT32)rows, 4, multiplier));
    NANOCLR_CHECK_HRESULT(ArrayArgument(stack, 4, (CLR_UINT32)rows, 1, shift));
    NANOCLR_CHECK_HRESULT(ArrayArgument(stack, 5, (CLR_UINT32)columns, 2, v));
    NANOCLR_NOCLEANUP();
}

// void Linear(sbyte[] w, int[] bias, int[] multiplier, byte[] shift, short[] v, int columns, int rows,
//             int[] output, int outputOffset)
HRESULT Linear(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_INT32 rows, columns;
        void *w, *bias, *multiplier, *shift, *v, *output;
        NANOCLR_CHECK_HRESULT(DenseArguments(stack, rows, columns, w, bias, multiplier, shift, v));
        CLR_INT32 offset = IntArgument(stack, 9);
        if (offset < 0)
        {
            NANOCLR_SET_AND_LEAVE(CLR_E_OUT_OF_RANGE);
        }

        NANOCLR_CHECK_HRESULT(ArrayArgument(stack, 8, (CLR_UINT32)offset + (CLR_UINT32)rows, 4, output));
        NANOCLR_SET_AND_LEAVE(FromKernel(nanornn_dense_s8_s32(
            rows, columns, (const int8_t *)w, (const int32_t *)multiplier, (const uint8_t *)shift,
            (const int32_t *)bias, (const int16_t *)v, (int32_t *)output + offset)));
    }
    NANOCLR_NOCLEANUP();
}

// void LinearRelu(sbyte[] w, int[] bias, int[] multiplier, byte[] shift, short[] v, int columns, int rows,
//                 short[] units)
HRESULT LinearRelu(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_INT32 rows, columns;
        void *w, *bias, *multiplier, *shift, *v, *units;
        NANOCLR_CHECK_HRESULT(DenseArguments(stack, rows, columns, w, bias, multiplier, shift, v));
        NANOCLR_CHECK_HRESULT(ArrayArgument(stack, 8, (CLR_UINT32)rows, 2, units));
        NANOCLR_SET_AND_LEAVE(FromKernel(nanornn_dense_relu_s8_s16(
            rows, columns, (const int8_t *)w, (const int32_t *)multiplier, (const uint8_t *)shift,
            (const int32_t *)bias, (const int16_t *)v, (int16_t *)units)));
    }
    NANOCLR_NOCLEANUP();
}

// nanoCLR's method table for the assembly: one entry per method in the order of the .pe's method
// table, which the metadata processor lays out with NativeKernel's three interface methods first,
// then its static constructor, constructor and Install (managed: no handler).
const CLR_RT_MethodHandler method_lookup[] = {
    StepLayer,
    Linear,
    LinearRelu,
    nullptr,
    nullptr,
    nullptr,
};


} // namespace

// The checksum is the metadata processor's for NativeKernel.cs (its -generateskeleton prints it); the
// version is AssemblyNativeVersion's. Both stay literals here: nf-interpreter's build reads them from
// this initializer to list the firmware's native assemblies.
extern const CLR_RT_NativeAssemblyData g_CLR_AssemblyNative_NanoRnn_Native = {
    "NanoRnn.Native",
    0x8C99ECFB,
    method_lookup,
    {1, 0, 0, 0}};
