#!/usr/bin/env python
"""Train marsad's BiLSTM-CRF NER model (marsad.entities.neural) on ANERcorp with torch on the CPU; ship numpy weights.

    pip install torch==2.13.0                       # training only: the package runs the model in numpy
    python scripts/train_ner_nn.py --select         # train before the tune block, score each epoch on it
    python scripts/train_ner_nn.py                  # train on everything before the dev block, score dev, ship

Self-training (tried; see README): ``--tag-unlabeled F`` writes a teacher's tags of the events_gsr development
sentences (``--teacher`` / ``--teacher-crf``: models trained before the tune block for a ``--select`` trial; the
shipped ones otherwise); ``--extra F`` then trains on them beside ANERcorp.

Defaults are the shipped model's: two networks (seeds 7 and 11, an ensemble), 15 epochs, 60% of the training
sentences seen each epoch with half their names swapped for other names of the same type (``mention_swap``).

The split is ``marsad.entities.ner.contiguous_split`` (the CRF's): the dev block (whole articles at the end of
ANERCorp_train.txt) is never trained on; the epoch count and sizes are chosen on the tune block with a model trained
on the tokens before it. Seeded; torch on CPU threads is close to but not bit-for-bit deterministic.
Output: src/marsad/data/entities/ner_nn.npz.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))

import numpy as np  # noqa: E402

from marsad.entities.neural import (  # noqa: E402
    NN_PATH,
    TAGS,
    VECTOR_KINDS,
    NeuralTagger,
    char_seq,
    knowledge_features,
    subword_vectors,
)
from marsad.entities.ner import (  # noqa: E402
    DOC_WINDOW,
    FeatureExtractor,
    contiguous_split,
    document_evidence,
    entity_names,
    iob_spans,
    pseudo_sentences,
    read_conll,
    read_conll_file,
    score_entities,
)
from marsad.paths import shared_dir  # noqa: E402

TAG_ID = {t: i for i, t in enumerate(TAGS)}


class Forms:
    """Per distinct word form: its word key, knowledge-feature names and pretrained vectors (computed once)."""

    def __init__(self, sents, kinds=VECTOR_KINDS):
        fx = FeatureExtractor()
        self.index: dict[str, int] = {}
        self.key, self.feats, self.chars = [], [], []
        for s in sents:
            for w, _ in s:
                if w in self.index:
                    continue
                self.index[w] = len(self.key)
                f = fx.form(w)
                self.key.append(f[5])
                self.feats.append(knowledge_features(f[8]))
                self.chars.append(char_seq(w))
        self.vec = subword_vectors().vectors(list(self.index), kinds)


def mention_swap(sent, ev, pool, rate, rng):
    """A copy of a training sentence (and of its tokens' document evidence) in which each name is, with probability
    ``rate``, another name of the same type from the training part (``pool``: label → token tuples): the context
    stays, the name changes, so the model learns a name's place from its context as well as from the name itself
    (mention replacement, Dai & Adel 2020). A swapped name's tokens take the evidence of the original's first, middle
    and last tokens in turn."""
    tags = [t for _, t in sent]
    out, oev, pos = [], [], 0
    for i, j, lab in iob_spans(tags):
        out += sent[pos:i]
        if ev is not None:
            oev += ev[pos:i]
        if rng.random() < rate and pool.get(lab):
            name = rng.choice(pool[lab])
            out += [(w, ("B-" if k == 0 else "I-") + lab) for k, w in enumerate(name)]
            if ev is not None:
                oev += [ev[i] if k == 0 else ev[j - 1] if k == len(name) - 1 else ev[min(i + k, j - 1)]
                        for k in range(len(name))]
        else:
            out += sent[i:j]
            if ev is not None:
                oev += ev[i:j]
        pos = j
    out += sent[pos:]
    if ev is not None:
        oev += ev[pos:]
    return out, (oev if ev is not None else None)


def tag_unlabeled(args) -> None:
    """Tag the events_gsr development sentences (Gigaword newswire; one sentence = one document) with a teacher
    (the CRF ``--teacher-crf`` and the networks ``--teacher``) for self-training: ``token TAG`` lines to
    ``--tag-unlabeled`` (read back by ``--extra``). Only words go there, for training; nothing of it ships but what the networks learn."""
    import csv
    import re

    from marsad.entities.ner import NerTagger

    tagger = NerTagger(args.teacher_crf, nn_path=args.teacher)
    texts = []
    for name in ("assault_sentences.csv", "protest_sentences.csv"):
        with open(shared_dir() / "data" / "events_gsr" / name, encoding="utf-8") as fh:
            texts += [r["text"] for r in csv.DictReader(fh)]
    seen: set = set()
    sents = []
    for t in texts:
        toks = re.findall(r"\w+|[^\w\s]", t)  # ANERcorp's tokens: words with their clitics, punctuation apart
        if toks and t not in seen and len(toks) <= 120:
            seen.add(t)
            sents.append(toks)
    with open(args.tag_unlabeled, "w", encoding="utf-8") as fh:
        for toks in sents:
            tags = tagger.tag_document([toks])[0]
            fh.writelines(f"{w} {t}\n" for w, t in zip(toks, tags))
            fh.write("\n")
    print(f"{len(sents)} sentences tagged -> {args.tag_unlabeled}")


def first_pass_tags(train_s, eval_s, args):
    """The CRF first pass's tags: out of fold on the training part (train_ner.out_of_fold, cached in /tmp), and on
    the eval part from a CRF trained on the training part (the shipped one for the dev block)."""
    import train_ner as crf

    c1, c2, iters, folds = 0.03, 0.1, 200, 4  # train_ner.py's defaults: the shipped first pass
    name = "inner" if args.select else "train"
    oof = crf.out_of_fold(train_s, folds, c1, c2, iters, Path(f"/tmp/ner_oof_{name}_k{folds}.json"))
    if args.select:
        model = Path("/tmp/ner_tune_full.crfsuite")
        if not model.exists():
            crf.train(train_s, FeatureExtractor(), model, c1, c2, iters)
    else:
        model = crf.MODEL_PATH
    return oof, crf.tag_all(model, FeatureExtractor(), eval_s)


def build(args):
    import torch
    import torch.nn as nn

    torch.set_num_threads(args.threads)
    pairs = read_conll(open(shared_dir() / "data" / "ner" / "ANERCorp_train.txt", encoding="utf-8"))
    tune, dev = contiguous_split(pairs)
    if args.select:
        train_s, eval_s = pseudo_sentences(pairs[:tune]), pseudo_sentences(pairs[tune:dev])
    else:
        train_s, eval_s = pseudo_sentences(pairs[:dev]), pseudo_sentences(pairs[dev:])
    extra = []
    if args.extra:  # the CoNLL reader of `marsad ner` (token TAG lines, blank lines between sentences)
        sents, tags = read_conll_file(args.extra)
        extra = [list(zip(ws, ts)) for ws, ts in zip(sents, tags or [])]
    if extra:  # machine-tagged sentences (self-training): seen as training sentences, each a document of its own
        print(f"{len(extra)} extra machine-tagged sentences from {args.extra}", flush=True)
    n_gold = len(train_s)
    t0 = time.time()
    forms = Forms(train_s + extra + eval_s, args.vectors)
    print(f"{len(forms.key)} forms embedded ({time.time() - t0:.0f}s)", flush=True)
    kc = Counter(forms.key[forms.index[w]] for s in train_s for w, _ in s)
    words = sorted(k for k, n in kc.items() if n >= args.min_word)
    fc = Counter(f for s in train_s for w, _ in s for f in forms.feats[forms.index[w]])
    feats = sorted(f for f, n in fc.items() if n >= args.min_feat)
    wid = {k: i + 1 for i, k in enumerate(words)}
    fid = {f: i for i, f in enumerate(feats)}
    form_word = torch.tensor([wid.get(k, 0) for k in forms.key])
    form_feats = [[fid[f] for f in fs if f in fid] for fs in forms.feats]
    form_vec = torch.tensor(forms.vec)
    cc = Counter(c for s in train_s for w, _ in s for c in forms.chars[forms.index[w]])
    chars = sorted(c for c, n in cc.items() if n >= 2)
    cid = {c: i + 2 for i, c in enumerate(chars)}  # 0 = padding, 1 = unknown
    form_chars = [[cid.get(c, 1) for c in cs] for cs in forms.chars]
    T = len(TAGS)

    ev_train = ev_eval = None
    dids: dict = {}
    if args.doc:  # document evidence from the CRF first pass: out of fold on the training part
        fx = FeatureExtractor()
        oof, first_eval = first_pass_tags(train_s, eval_s, args)
        keys = lambda ss: [[fx.key(w) for w, _ in s] for s in ss]  # noqa: E731
        ev_train = document_evidence(keys(train_s), oof, DOC_WINDOW)
        ev_eval = document_evidence(keys(eval_s), first_eval, DOC_WINDOW)
        dc = Counter(f for s in ev_train for fs in s for f in fs)
        dfeats = sorted(f for f, n in dc.items() if n >= args.min_feat)
        dids = {f: i for i, f in enumerate(dfeats)}
        print(f"{len(dfeats)} document-evidence features", flush=True)
    if extra:  # after the vocabularies and the evidence, which come from the gold part alone
        train_s = train_s + extra
        if ev_train is not None:
            ev_train = ev_train + [[[] for _ in snt] for snt in extra]  # a document of one sentence: no evidence
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.word_emb = nn.Embedding(len(words) + 1, args.dw)
            self.feat_emb = nn.EmbeddingBag(len(feats), args.df, mode="sum")
            self.use = nn.Linear(form_vec.shape[1], args.du)
            if args.dc:
                self.char_emb = nn.Embedding(len(chars) + 2, args.dce, padding_idx=0)
                self.char_conv = nn.Conv1d(args.dce, args.dc, 3, padding=1)
            self.drop = nn.Dropout(args.dropout)
            if args.doc:
                self.doc_emb = nn.EmbeddingBag(len(dids), args.dd, mode="sum")
            self.lstm = nn.LSTM(args.dw + args.df + args.du + args.dc + (args.dd if args.doc else 0), args.hidden, batch_first=True, bidirectional=True)
            self.out = nn.Linear(2 * args.hidden, T)
            self.trans = nn.Parameter(torch.zeros(T, T))
            self.start = nn.Parameter(torch.zeros(T))
            self.end = nn.Parameter(torch.zeros(T))

        def form_vectors(self, ids, word_drop=0.0):
            wi = form_word[ids]
            if word_drop:
                wi = torch.where(torch.rand(len(wi)) < word_drop, torch.zeros_like(wi), wi)
            flat, offs = [], []
            for i in ids.tolist():
                offs.append(len(flat))
                flat += form_feats[i]
            bag = self.feat_emb(torch.tensor(flat, dtype=torch.long), torch.tensor(offs, dtype=torch.long))
            parts = [self.word_emb(wi), bag, torch.tanh(self.use(form_vec[ids]))]
            if args.dc:
                cs = [form_chars[i] for i in ids.tolist()]
                L = max(len(c) for c in cs)
                ci = torch.zeros(len(cs), L, dtype=torch.long)
                for k, c in enumerate(cs):
                    ci[k, :len(c)] = torch.tensor(c)
                h = self.char_conv(self.char_emb(ci).transpose(1, 2))  # [N, dc, L]
                h = h.masked_fill((ci == 0).unsqueeze(1), float("-inf"))
                parts.append(torch.tanh(h.max(dim=2).values))
            return torch.cat(parts, dim=1)

        def emissions(self, batch, word_drop=0.0, ev=None):
            ids = [[forms.index[w] for w, _ in s] for s in batch]
            uniq = sorted({i for s in ids for i in s})
            pos = {f: k for k, f in enumerate(uniq)}
            fv = self.form_vectors(torch.tensor(uniq), word_drop)
            L = max(len(s) for s in ids)
            idx = torch.zeros(len(ids), L, dtype=torch.long)
            mask = torch.zeros(len(ids), L, dtype=torch.bool)
            for b, s in enumerate(ids):
                idx[b, :len(s)] = torch.tensor([pos[i] for i in s])
                mask[b, :len(s)] = True
            x = fv[idx]
            if args.doc:
                flat, offs = [], []
                for b, s in enumerate(ids):
                    for t in range(L):
                        offs.append(len(flat))
                        if t < len(s):
                            flat += [dids[f] for f in ev[b][t] if f in dids]
                d = self.doc_emb(torch.tensor(flat, dtype=torch.long), torch.tensor(offs, dtype=torch.long))
                x = torch.cat([x, d.view(len(ids), L, -1)], dim=2)
            x = self.drop(x)
            lens = mask.sum(1)
            packed = nn.utils.rnn.pack_padded_sequence(x, lens, batch_first=True, enforce_sorted=False)
            h, _ = self.lstm(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=L)
            return self.out(self.drop(h)), mask

        def nll(self, e, tags, mask):
            B, L, _ = e.shape
            m = mask.float()
            s = self.start[tags[:, 0]] + e[:, 0].gather(1, tags[:, :1]).squeeze(1)
            for t in range(1, L):
                s = s + (self.trans[tags[:, t - 1], tags[:, t]] + e[:, t].gather(1, tags[:, t:t + 1]).squeeze(1)) * m[:, t]
            last = tags.gather(1, (mask.sum(1) - 1).unsqueeze(1)).squeeze(1)
            s = s + self.end[last]
            a = self.start + e[:, 0]
            for t in range(1, L):
                na = torch.logsumexp(a.unsqueeze(2) + self.trans.unsqueeze(0) + e[:, t].unsqueeze(1), dim=1)
                a = torch.where(mask[:, t].unsqueeze(1), na, a)
            z = torch.logsumexp(a + self.end, dim=1)
            return (z - s).mean()

        def decode(self, e, mask):
            out = []
            tr, st, en = self.trans.detach().numpy(), self.start.detach().numpy(), self.end.detach().numpy()
            e = e.detach().numpy()
            for b in range(e.shape[0]):
                n = int(mask[b].sum())
                score = st + e[b, 0]
                back = []
                for t in range(1, n):
                    sc = score[:, None] + tr
                    back.append(sc.argmax(0))
                    score = sc.max(0) + e[b, t]
                best = [int((score + en).argmax())]
                for bp in reversed(back):
                    best.append(int(bp[best[-1]]))
                out.append([TAGS[j] for j in best[::-1]])
            return out

    seen = entity_names(train_s[:n_gold])
    gold = [[t for _, t in s] for s in eval_s]
    ewords = [[w for w, _ in s] for s in eval_s]

    def evaluate(net):
        net.eval()
        pred = []
        with torch.no_grad():
            for a in range(0, len(eval_s), 64):
                b = eval_s[a:a + 64]
                e, mask = net.emissions(b, ev=ev_eval[a:a + 64] if ev_eval else None)
                pred += net.decode(e, mask)
        net.train()
        return score_entities(gold, pred, ewords, seen), pred

    def report(head, sc, secs):
        o = sc["overall"]
        print(f"{head} F1 {o['f1']:.3f} (P {o['precision']:.3f} R {o['recall']:.3f})"
              f" PER {sc['PER']['f1']:.3f} ORG {sc['ORG']['f1']:.3f} LOC {sc['LOC']['f1']:.3f}"
              f" MISC {sc['MISC']['f1']:.3f} unseen {sc['unseen']['recall']:.3f} ({secs:.0f}s)", flush=True)

    pool: dict[str, list] = {}  # label → the distinct names of the training part, for mention_swap
    for snt in train_s[:n_gold]:
        for i, j, lab in iob_spans([t for _, t in snt]):
            pool.setdefault(lab, set()).add(tuple(w for w, _ in snt[i:j]))
    pool = {lab: sorted(v) for lab, v in pool.items()}

    def weights(net) -> dict:
        sd = net.state_dict()
        arr = lambda k: sd[k].detach().numpy().astype(np.float32)  # noqa: E731
        out = {
            "word_emb": arr("word_emb.weight"), "feat_emb": arr("feat_emb.weight"),
            "use_w": arr("use.weight").T.copy(), "use_b": arr("use.bias"),
            "ih_f": arr("lstm.weight_ih_l0"), "hh_f": arr("lstm.weight_hh_l0"),
            "bih_f": arr("lstm.bias_ih_l0"), "bhh_f": arr("lstm.bias_hh_l0"),
            "ih_b": arr("lstm.weight_ih_l0_reverse"), "hh_b": arr("lstm.weight_hh_l0_reverse"),
            "bih_b": arr("lstm.bias_ih_l0_reverse"), "bhh_b": arr("lstm.bias_hh_l0_reverse"),
            "out_w": arr("out.weight"), "out_b": arr("out.bias"),
            "trans": arr("trans"), "start": arr("start"), "end": arr("end"),
        }
        if args.doc:
            out["doc_emb"] = arr("doc_emb.weight")
        if args.dc:
            out.update({"char_emb": arr("char_emb.weight"), "char_w": arr("char_conv.weight"),
                        "char_b": arr("char_conv.bias")})
        return out

    def train_one(seed: int) -> dict:
        torch.manual_seed(seed)
        random.seed(seed)
        net = Net()
        opt = torch.optim.Adam(net.parameters(), lr=args.lr)
        order = list(range(len(train_s)))
        history = []
        avg: dict = {}
        n_avg = 0
        for ep in range(1, args.epochs + 1):
            t1 = time.time()
            random.shuffle(order)
            order.sort(key=lambda i: len(train_s[i]) // 8 + random.random())  # buckets of similar length, shuffled
            batches = [order[a:a + args.batch] for a in range(0, len(order), args.batch)]
            random.shuffle(batches)
            tot = 0.0
            for bi in batches:
                b = [train_s[i] for i in bi]
                bev = [ev_train[i] for i in bi] if ev_train else None
                if args.swap:
                    for k, i in enumerate(bi):
                        if random.random() < args.swap:
                            b[k], e_k = mention_swap(train_s[i], bev[k] if bev else None, pool, 0.5, random)
                            if bev:
                                bev[k] = e_k
                e, mask = net.emissions(b, args.word_drop, bev)
                L = e.shape[1]
                tags = torch.zeros(len(b), L, dtype=torch.long)
                for k, s in enumerate(b):
                    tags[k, :len(s)] = torch.tensor([TAG_ID[t] for _, t in s])
                loss = net.nll(e, tags, mask)
                opt.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(net.parameters(), 5.0)
                opt.step()
                tot += float(loss.detach())
            if args.average_from and ep >= args.average_from:  # a running mean of the weights of the last epochs
                n_avg += 1
                with torch.no_grad():
                    for k, v in net.state_dict().items():
                        if k not in avg:
                            avg[k] = v.detach().clone().float()
                        else:
                            avg[k] += (v.detach().float() - avg[k]) / n_avg
            sc, _ = evaluate(net)
            report(f"seed {seed} epoch {ep:2d} loss {tot / len(batches):.3f}", sc, time.time() - t1)
            history.append((ep, sc["overall"]["f1"]))
        best = max(history, key=lambda h: h[1])
        print(f"seed {seed}: best epoch {best[0]}: F1 {best[1]:.3f}")
        if avg:
            net.load_state_dict(avg)
            sc, _ = evaluate(net)
            report(f"weights averaged over epochs {args.average_from}-{args.epochs}", sc, 0)
        return weights(net)

    members = [train_one(seed) for seed in args.seeds]
    if args.select and args.out is None:  # a tune-block model is kept only where asked (--out)
        return
    out = {"vocab_words": np.array(words), "vocab_feats": np.array(feats), "vector_kinds": np.array(args.vectors)}
    if args.doc:
        out["vocab_doc"] = np.array(sorted(dids, key=dids.get))
    if args.dc:
        out["vocab_chars"] = np.array(chars)
    for m, w in enumerate(members):  # an ensemble's networks under m0_, m1_ …; one network unprefixed
        out.update({(f"m{m}_" if len(members) > 1 else "") + k: v for k, v in w.items()})
    path = Path(args.out or NN_PATH)
    np.savez_compressed(path, **out)
    print(f"-> {path} ({path.stat().st_size / 1e6:.2f} MB)")
    # the shipped numpy path must tag as the torch model did (an ensemble: the mean of its networks)
    tagger = NeuralTagger(path)
    pred = [t for t in tagger.tag_batch(ewords, evidence=ev_eval)]
    sc = score_entities(gold, pred, ewords, seen)
    print(f"numpy tagger ({len(members)} network(s)) on the eval part:",
          json.dumps({k: v.get("f1", v.get("recall")) for k, v in sc.items()}))

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--select", action="store_true", help="train before the tune block and score on it")
    ap.add_argument("--epochs", type=int, default=15)  # tune block: 0.78 at 12-15 epochs, flat after
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--dw", type=int, default=64)
    ap.add_argument("--df", type=int, default=64)
    ap.add_argument("--du", type=int, default=96)
    ap.add_argument("--dc", type=int, default=48, help="character CNN filters (0: none)")
    ap.add_argument("--dce", type=int, default=24)
    ap.add_argument("--no-doc", dest="doc", action="store_false", help="read no document evidence")
    ap.add_argument("--dd", type=int, default=32)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--dropout", type=float, default=0.5)
    ap.add_argument("--word-drop", type=float, default=0.1)
    ap.add_argument("--swap", type=float, default=0.6,
                    help="share of training sentences seen each epoch with their names swapped (mention_swap)")
    ap.add_argument("--min-word", type=int, default=2)
    ap.add_argument("--min-feat", type=int, default=2)
    ap.add_argument("--average-from", type=int, default=0,
                    help="ship the mean of the weights after each epoch from this one on (0: the last epoch's)")
    ap.add_argument("--seeds", type=int, nargs="+", default=[7, 11],
                    help="one network per seed; several make an ensemble (their tag scores averaged)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--vectors", nargs="+", default=list(VECTOR_KINDS), choices=VECTOR_KINDS,
                    help="the pretrained word vectors the networks read (tune block: both 0.807/0.811, the piece "
                         "mean alone 0.801/0.803, the encoder's alone 0.803/0.806, seeds 7/11)")
    ap.add_argument("--extra", type=Path, default=None, help="machine-tagged sentences to train on as well")
    ap.add_argument("--tag-unlabeled", type=Path, default=None, help="write the teacher's tags of the gsr sentences")
    ap.add_argument("--teacher", type=Path, default=None, help="the teacher's networks (default: the shipped ones)")
    ap.add_argument("--teacher-crf", type=Path, default=None, help="the teacher's CRF (default: the shipped one)")
    ap.add_argument("--out", default=None, help=f"where the weights go (default {NN_PATH}; with --select: none)")
    args = ap.parse_args()
    if args.tag_unlabeled:
        tag_unlabeled(args)
        return
    build(args)


if __name__ == "__main__":
    main()
