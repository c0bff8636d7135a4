using System;

namespace NanoRnn
{
    /// <summary>
    /// What one <see cref="RnnNetwork"/> computed inside its last step, layer by layer, for tests and
    /// tools: the pre-activations and gates (while <see cref="Record"/> is true), the cell state and
    /// the hidden state. Get it from <see cref="RnnNetwork.Stages"/>.
    /// </summary>
    public sealed class RnnStages
    {
        private readonly PreparedLayer[] layers;
        private readonly RnnModel model;
        // Read by RnnNetwork.Step once per step: a field, not the property, costs nanoCLR no call.
        internal bool Recording;

        internal RnnStages(RnnModel model, PreparedLayer[] layers)
        {
            this.model = model;
            this.layers = layers;
        }

        /// <summary>
        /// Whether each step keeps its pre-activations and gates for <see cref="CopyPreActivations(int, short[], int)"/>
        /// and <see cref="CopyGates(int, short[], int)"/>. False (the default): the packed kernel
        /// finishes each unit straight from its sums and writes neither (docs/performance.md gives what
        /// that saves). True: every layer writes both; h, c and the scores are the same, bit for bit.
        /// Changing it clears the kept values.
        /// </summary>
        public bool Record
        {
            get
            {
                return Recording;
            }

            set
            {
                if (value != Recording)
                {
                    for (int l = 0; l < layers.Length; l++)
                    {
                        PreparedLayer layer = layers[l];
                        Array.Clear(layer.Pre, 0, layer.Pre.Length);
                        if (layer.Gates != layer.Hidden)
                        {
                            Array.Clear(layer.Gates, 0, layer.Gates.Length);
                        }
                    }
                }

                Recording = value;
            }
        }

        /// <summary>Copies the last step's gate pre-activations of the last layer (see the layer overload).</summary>
        /// <param name="destination">Receives R values of the last layer (LSTM, GRU: 4H; RNN: H).</param>
        /// <param name="offset">Index in <paramref name="destination"/> of the first value.</param>
        /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The range does not exist.</exception>
        /// <exception cref="InvalidOperationException"><see cref="Record"/> is false.</exception>
        public void CopyPreActivations(short[] destination, int offset)
        {
            CopyRecorded(layers[layers.Length - 1].Pre, destination, offset);
        }

        /// <summary>
        /// Copies the last step's pre-activations of a layer: LSTM rows i, f, g, o (Q3.12, H each);
        /// GRU rows r, z, n_x, n_h (Q3.12); RNN H rows (tanh: Q3.12; relu: the hidden state's scale).
        /// </summary>
        /// <param name="layer">0 .. <see cref="RnnModel.LayerCount"/> - 1.</param>
        /// <param name="destination">Receives the layer's R values.</param>
        /// <param name="offset">Index in <paramref name="destination"/> of the first value.</param>
        /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is not a layer, or the range does not exist.</exception>
        /// <exception cref="InvalidOperationException"><see cref="Record"/> is false.</exception>
        public void CopyPreActivations(int layer, short[] destination, int offset)
        {
            CopyRecorded(Layer(layer).Pre, destination, offset);
        }

        /// <summary>Copies the last step's gate activations of the last layer (see the layer overload).</summary>
        /// <param name="destination">Receives R values of the last layer.</param>
        /// <param name="offset">Index in <paramref name="destination"/> of the first value.</param>
        /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The range does not exist.</exception>
        /// <exception cref="InvalidOperationException"><see cref="Record"/> is false.</exception>
        public void CopyGates(short[] destination, int offset)
        {
            CopyRecorded(layers[layers.Length - 1].Gates, destination, offset);
        }

        /// <summary>
        /// Copies the last step's gate activations of a layer: LSTM σ(i), σ(f), tanh(g), σ(o) (Q0.15,
        /// H each); GRU σ(r), σ(z), n (Q0.15) and r ⊙ n_h (Q3.12); RNN the new hidden state.
        /// </summary>
        /// <param name="layer">0 .. <see cref="RnnModel.LayerCount"/> - 1.</param>
        /// <param name="destination">Receives the layer's R values.</param>
        /// <param name="offset">Index in <paramref name="destination"/> of the first value.</param>
        /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is not a layer, or the range does not exist.</exception>
        /// <exception cref="InvalidOperationException"><see cref="Record"/> is false.</exception>
        public void CopyGates(int layer, short[] destination, int offset)
        {
            CopyRecorded(Layer(layer).Gates, destination, offset);
        }

        /// <summary>Copies the cell state c of the last layer, Q(15-cf).cf (nothing for a GRU or RNN layer).</summary>
        /// <param name="destination">Receives H values for an LSTM layer, none otherwise.</param>
        /// <param name="offset">Index in <paramref name="destination"/> of the first value.</param>
        /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The range does not exist.</exception>
        public void CopyCell(short[] destination, int offset)
        {
            Copy(layers[layers.Length - 1].Cell, destination, offset);
        }

        /// <summary>Copies the cell state c of a layer, Q(15-cf).cf with cf = <see cref="RnnModel.GetCellFracBits"/> (nothing for a GRU or RNN layer).</summary>
        /// <param name="layer">0 .. <see cref="RnnModel.LayerCount"/> - 1.</param>
        /// <param name="destination">Receives H values for an LSTM layer, none otherwise.</param>
        /// <param name="offset">Index in <paramref name="destination"/> of the first value.</param>
        /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is not a layer, or the range does not exist.</exception>
        public void CopyCell(int layer, short[] destination, int offset)
        {
            Copy(Layer(layer).Cell, destination, offset);
        }

        /// <summary>Copies the hidden state h of the last layer, Q0.15 (RNN-relu: its hidden_scale).</summary>
        /// <param name="destination">Receives <see cref="RnnModel.HiddenSize"/> values.</param>
        /// <param name="offset">Index in <paramref name="destination"/> of the first value.</param>
        /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The range does not exist.</exception>
        public void CopyHidden(short[] destination, int offset)
        {
            Copy(layers[layers.Length - 1].Hidden, destination, offset);
        }

        /// <summary>Copies the hidden state h of a layer, Q0.15 (RNN-relu: its hidden_scale).</summary>
        /// <param name="layer">0 .. <see cref="RnnModel.LayerCount"/> - 1.</param>
        /// <param name="destination">Receives <see cref="RnnModel.GetHiddenSize"/> values.</param>
        /// <param name="offset">Index in <paramref name="destination"/> of the first value.</param>
        /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is not a layer, or the range does not exist.</exception>
        public void CopyHidden(int layer, short[] destination, int offset)
        {
            Copy(Layer(layer).Hidden, destination, offset);
        }

        // The layer, after RnnModel.GetLayer has refused one that does not exist.
        private PreparedLayer Layer(int layer)
        {
            model.GetLayer(layer);
            return layers[layer];
        }

        private void CopyRecorded(short[] source, short[] destination, int offset)
        {
            if (!Recording)
            {
                throw new InvalidOperationException("pre-activations and gates are kept only while Stages.Record is true");
            }

            Copy(source, destination, offset);
        }

        private static void Copy(short[] source, short[] destination, int offset)
        {
            ArgumentChecks.CheckRange(destination, offset, source.Length, nameof(destination));
            Array.Copy(source, 0, destination, offset, source.Length);
        }
    }
}
