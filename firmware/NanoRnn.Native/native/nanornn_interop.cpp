//
// The interop half of NanoRnn.Native: nanoCLR calls these handlers for the InternalCall methods of
// NanoRnn.Native.NativeKernel (NativeKernel.cs), in the order they are declared there. Each handler
// takes the managed arguments off the stack frame, checks every array's element type and length
// against what the call needs (the C kernels cannot see lengths), and calls nanornn_kernels.c. A refused argument becomes
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

// The array a reference (an argument, or an element of an object[]) points to: not null, of
// elements of the given type (DATATYPE_I1 for sbyte, DATATYPE_U1 for byte, ...), at least count of them.
HRESULT ArrayOf(CLR_RT_HeapBlock &reference, CLR_UINT8 type, CLR_UINT32 count, void *&elements)
{
    NANOCLR_HEADER();
    CLR_RT_HeapBlock *object = reference.DataType() == DATATYPE_OBJECT ? reference.Dereference() : nullptr;
    FAULT_ON_NULL_ARG(object);
    if (object->DataType() != DATATYPE_SZARRAY)
    {
        NANOCLR_SET_AND_LEAVE(CLR_E_INVALID_PARAMETER);
    }

    {
        CLR_RT_HeapBlock_Array *array = (CLR_RT_HeapBlock_Array *)object;
        if (array->m_typeOfElement != type || array->m_numOfElements < count)
        {
            NANOCLR_SET_AND_LEAVE(CLR_E_INVALID_PARAMETER);
        }

        elements = array->GetFirstElement();
    }
    NANOCLR_NOCLEANUP();
}

// The array argument n of the frame, as ArrayOf.
HRESULT ArrayArgument(CLR_RT_StackFrame &stack, int n, CLR_UINT8 type, CLR_UINT32 count, void *&elements)
{
    return ArrayOf(stack.ArgN(n), type, count, elements);
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

// The arrays of a layer in StepLayers' arrays, in order (NativeKernels.ArraysPerLayer), and the
// element type each must have.
enum LayerArray
{
    Wx,
    Wh,
    Bias,
    Mx,
    Mh,
    Shift,
    Pre,
    Gates,
    Cell,
    Hidden,
    ArraysPerLayer
};

const CLR_UINT8 c_layerArrayTypes[ArraysPerLayer] = {
    DATATYPE_I1, DATATYPE_I1, DATATYPE_I4, DATATYPE_I4, DATATYPE_I4,
    DATATYPE_U1, DATATYPE_I2, DATATYPE_I2, DATATYPE_I2, DATATYPE_I2};

const CLR_UINT32 c_shapeInts = 4; // NativeKernels.ShapeInts: cell type, cf, inputs, H

// One layer of StepLayers, checked: its shape and the first element of each of its arrays.
struct LayerArguments
{
    CLR_INT32 cellType;
    CLR_INT32 cellFracBits;
    CLR_INT32 inputs;
    CLR_INT32 hidden;
    CLR_INT32 rows;
    void *arrays[ArraysPerLayer];
};

// Layer l of StepLayers: its shape from shapes, its arrays from the object[] elements, each as long
// as the shape needs, and for l > 0 the kernels' own checks (nanornn_layer_check_s8_s16) on all of
// it. Layer 0 needs no separate kernel check: nanornn_layer_step_s8_s16 makes it before it writes.
HRESULT LayerArgumentsAt(
    const CLR_INT32 *shapes, CLR_RT_HeapBlock *elements, CLR_UINT32 l, const int16_t *x, LayerArguments &layer)
{
    NANOCLR_HEADER();
    const CLR_INT32 *shape = shapes + l * c_shapeInts;
    layer.cellType = shape[0];
    layer.cellFracBits = shape[1];
    layer.inputs = shape[2];
    layer.hidden = shape[3];
    if (layer.cellType < NANORNN_CELL_LSTM || layer.cellType > NANORNN_CELL_RNN_RELU)
    {
        NANOCLR_SET_AND_LEAVE(CLR_E_INVALID_PARAMETER);
    }

    if (!InRange(layer.inputs) || !InRange(layer.hidden))
    {
        NANOCLR_SET_AND_LEAVE(CLR_E_OUT_OF_RANGE);
    }

    {
        bool recurrentOnly = layer.cellType == NANORNN_CELL_RNN_TANH || layer.cellType == NANORNN_CELL_RNN_RELU;
        CLR_UINT32 rows = (CLR_UINT32)(recurrentOnly ? layer.hidden : 4 * layer.hidden);
        CLR_UINT32 hidden = (CLR_UINT32)layer.hidden;
        const CLR_UINT32 counts[ArraysPerLayer] = {
            rows * (CLR_UINT32)layer.inputs, rows * hidden, rows, rows, rows, rows, rows,
            recurrentOnly ? 0 : rows, layer.cellType == NANORNN_CELL_LSTM ? hidden : 0, hidden};
        layer.rows = (CLR_INT32)rows;
        CLR_RT_HeapBlock *element = elements + l * ArraysPerLayer;
        for (int a = 0; a < ArraysPerLayer; a++)
        {
            NANOCLR_CHECK_HRESULT(ArrayOf(element[a], c_layerArrayTypes[a], counts[a], layer.arrays[a]));
        }

        if (l == 0)
        {
            NANOCLR_SET_AND_LEAVE(S_OK);
        }

        void **p = layer.arrays;
        NANOCLR_SET_AND_LEAVE(FromKernel(nanornn_layer_check_s8_s16(
            layer.cellType, layer.inputs, layer.hidden, layer.rows, layer.cellFracBits,
            (const int8_t *)p[Wx], (const int8_t *)p[Wh], (const int32_t *)p[Mx], (const int32_t *)p[Mh],
            (const uint8_t *)p[Shift], (const int32_t *)p[Bias], x,
            (const int16_t *)p[Pre], (const int16_t *)p[Gates], (const int16_t *)p[Cell], (const int16_t *)p[Hidden])));
    }
    NANOCLR_NOCLEANUP();
}

// void StepLayers(int[] shapes, object[] arrays, short[] input, int inputOffset)
// Argument 0 is the NativeKernel instance. Every layer is checked before the first is stepped;
// layer l > 0 reads layer l - 1's hidden state, so its inputs must be that layer's H.
HRESULT StepLayers(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock_Array *shapes = stack.ArgN(1).DereferenceArray();
        CLR_RT_HeapBlock_Array *arrays = stack.ArgN(2).DereferenceArray();
        FAULT_ON_NULL_ARG(shapes);
        FAULT_ON_NULL_ARG(arrays);
        CLR_UINT32 count = shapes->m_numOfElements / c_shapeInts;
        if (shapes->m_typeOfElement != DATATYPE_I4 || !arrays->m_fReference || count < 1 ||
            count > NANORNN_MAX_LAYERS || shapes->m_numOfElements != count * c_shapeInts ||
            arrays->m_numOfElements != count * ArraysPerLayer)
        {
            NANOCLR_SET_AND_LEAVE(CLR_E_INVALID_PARAMETER);
        }

        const CLR_INT32 *shape = (const CLR_INT32 *)shapes->GetFirstElement();
        CLR_RT_HeapBlock *elements = (CLR_RT_HeapBlock *)arrays->GetFirstElement();
        CLR_INT32 inputOffset = IntArgument(stack, 4);
        void *input;
        if (inputOffset < 0 || !InRange(shape[2]))
        {
            NANOCLR_SET_AND_LEAVE(CLR_E_OUT_OF_RANGE);
        }

        NANOCLR_CHECK_HRESULT(ArrayArgument(stack, 3, DATATYPE_I2, (CLR_UINT32)inputOffset + (CLR_UINT32)shape[2], input));

        LayerArguments layers[NANORNN_MAX_LAYERS];
        const int16_t *x = (const int16_t *)input + inputOffset;
        for (CLR_UINT32 l = 0; l < count; l++)
        {
            NANOCLR_CHECK_HRESULT(LayerArgumentsAt(shape, elements, l, x, layers[l]));
            if (l > 0 && layers[l].inputs != layers[l - 1].hidden)
            {
                NANOCLR_SET_AND_LEAVE(CLR_E_INVALID_PARAMETER);
            }

            x = (const int16_t *)layers[l].arrays[Hidden];
        }

        x = (const int16_t *)input + inputOffset;
        for (CLR_UINT32 l = 0; l < count; l++)
        {
            LayerArguments &layer = layers[l];
            void **p = layer.arrays;
            NANOCLR_CHECK_HRESULT(FromKernel(nanornn_layer_step_s8_s16(
                layer.cellType, layer.inputs, layer.hidden, layer.rows, layer.cellFracBits,
                (const int8_t *)p[Wx], (const int8_t *)p[Wh], (const int32_t *)p[Mx], (const int32_t *)p[Mh],
                (const uint8_t *)p[Shift], (const int32_t *)p[Bias], x,
                (int16_t *)p[Pre], (int16_t *)p[Gates], (int16_t *)p[Cell], (int16_t *)p[Hidden])));
            x = (const int16_t *)p[Hidden];
        }
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

    NANOCLR_CHECK_HRESULT(ArrayArgument(stack, 1, DATATYPE_I1, (CLR_UINT32)rows * (CLR_UINT32)columns, w));
    NANOCLR_CHECK_HRESULT(ArrayArgument(stack, 2, DATATYPE_I4, (CLR_UINT32)rows, bias));
    NANOCLR_CHECK_HRESULT(ArrayArgument(stack, 3, DATATYPE_I4, (CLR_UINT32)rows, multiplier));
    NANOCLR_CHECK_HRESULT(ArrayArgument(stack, 4, DATATYPE_U1, (CLR_UINT32)rows, shift));
    NANOCLR_CHECK_HRESULT(ArrayArgument(stack, 5, DATATYPE_I2, (CLR_UINT32)columns, v));
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

        NANOCLR_CHECK_HRESULT(ArrayArgument(stack, 8, DATATYPE_I4, (CLR_UINT32)offset + (CLR_UINT32)rows, output));
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
        NANOCLR_CHECK_HRESULT(ArrayArgument(stack, 8, DATATYPE_I2, (CLR_UINT32)rows, units));
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
    StepLayers,
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
    0xA0712F5D,
    method_lookup,
    {1, 0, 0, 0}};
