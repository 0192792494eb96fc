"""The occupation space the matcher works in, built once from the ROME data in the database.

How close two occupations are, first by France Travail's experts, then by content:

- ``experts``: the experts' close occupations (*mobilités*, ``reference.OccupationMobility``), a directed
  edge from an occupation to each of its targets, with France Travail's rank (1 first);
- ``similarity``, the content-based part, three views blended with documented weights:
  skills: cosine of their IDF-weighted ROME skill sets (a skill shared by few occupations says more);
  texts: cosine of TF-IDF vectors of label, job title labels, definition and access texts;
  structure: same professional domain (3-character prefix of the code) 1, same broad domain 0.3.

Measured against the experts' lists, the content-based part reaches nDCG@10 ≈ 0.36 (``evaluate_matcher``):
texts do not say where people actually move. So ``proximity[o, q]``, what the matcher reads for someone
seeking ``o`` and a position on ``q``, is the experts' word first: 0.95 for their first target of ``o``,
0.01 less per rank, never under 0.75; content similarity only where they name nothing, scaled by 0.7 so
that it stays under every experts' edge (its highest value off the diagonal is 0.84 · 0.7 = 0.59). The
reverse edge ``q → o`` is not read: everyone may become a trainer, a trainer not everything.

``coverage[o, q]`` is the IDF-weighted share of occupation ``q``'s skills that occupation ``o`` also
lists: how much of a position's trade someone seeking ``o`` already practises.
"""

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer
from sklearn.preprocessing import normalize

from reference.models import JobTitle, Occupation, OccupationMobility, Skill

SIMILARITY_WEIGHTS = {"skills": 0.5, "texts": 0.3, "structure": 0.2}
SAME_BROAD_DOMAIN = 0.3
EXPERT_FIRST = 0.95
EXPERT_STEP = 0.01
EXPERT_FLOOR = 0.75
CONTENT_SHARE = 0.7
# Words too common in ROME texts to tell occupations apart.
FRENCH_STOP_WORDS = [
    "a",
    "afin",
    "ainsi",
    "au",
    "aux",
    "avec",
    "ce",
    "ces",
    "cet",
    "cette",
    "d",
    "dans",
    "de",
    "des",
    "dont",
    "du",
    "elle",
    "en",
    "entre",
    "est",
    "et",
    "etc",
    "etre",
    "il",
    "ils",
    "l",
    "la",
    "le",
    "les",
    "leur",
    "leurs",
    "lors",
    "lui",
    "ou",
    "par",
    "pas",
    "peut",
    "peuvent",
    "pour",
    "qu",
    "que",
    "qui",
    "s",
    "sa",
    "se",
    "selon",
    "ses",
    "son",
    "sont",
    "sur",
    "tous",
    "tout",
    "un",
    "une",
    "y",
]


def text_vectorizer():
    return TfidfVectorizer(
        strip_accents="unicode", lowercase=True, stop_words=FRENCH_STOP_WORDS, sublinear_tf=True, dtype=np.float32
    )


@dataclass
class OccupationSpace:
    codes: np.ndarray  # (O,) code ROME, sorted
    labels: list
    skill_ids: np.ndarray  # (S,) code OGR, sorted
    idf: np.ndarray  # (S,) float32
    skills: sparse.csr_matrix  # (O, S) binary
    coverage: np.ndarray  # (O, O) float32
    similarity: np.ndarray  # (O, O) float32, 1 on the diagonal: content only
    experts: sparse.csr_matrix  # (O, O) int16, France Travail's rank of the edge row → column, 0 if none
    vectorizer: TfidfVectorizer  # fitted on occupation texts, reused for job titles and descriptions

    def __post_init__(self):
        self.position_of = {code: i for i, code in enumerate(self.codes)}
        self.skill_position_of = {code: i for i, code in enumerate(self.skill_ids)}
        self.weighted_skills = self.skills.multiply(self.idf[None, :]).tocsr().astype(np.float32)
        self.proximity = proximity(self.similarity, self.experts)

    @property
    def fingerprint(self):
        return (len(self.codes), len(self.skill_ids), int(self.skills.nnz), int(self.experts.nnz))

    def expert_targets(self, i):
        """Rows of the experts' targets of occupation row ``i``, in France Travail's order."""
        start, end = self.experts.indptr[i], self.experts.indptr[i + 1]
        targets, ranks = self.experts.indices[start:end], self.experts.data[start:end]
        return targets[np.argsort(ranks, kind="stable")]

    def skill_columns(self, skill_ids):
        return [self.skill_position_of[s] for s in skill_ids if s in self.skill_position_of]


def reference_fingerprint():
    """What a rebuilt space would differ by after ``load_reference_data``: four counts."""
    return (
        Occupation.objects.count(),
        Skill.objects.count(),
        Occupation.skills.through.objects.count(),
        OccupationMobility.objects.count(),
    )


def expert_strength(ranks):
    """Proximity the experts' edges of these ranks give: ``EXPERT_FIRST`` down to ``EXPERT_FLOOR``."""
    return np.maximum(EXPERT_FIRST - EXPERT_STEP * (np.asarray(ranks, dtype=np.float32) - 1), EXPERT_FLOOR)


def proximity(similarity, experts):
    """The matcher's occupation proximity: experts' edges first, scaled content elsewhere, 1 on the diagonal."""
    out = (CONTENT_SHARE * similarity).astype(np.float32)
    edges = experts.tocoo()
    out[edges.row, edges.col] = expert_strength(edges.data)
    np.fill_diagonal(out, 1.0)
    return out


def expert_matrix(codes):
    """France Travail's close occupations as a (O, O) CSR of ranks, edges between unknown codes left out."""
    row_of = {code: i for i, code in enumerate(codes)}
    edges = [
        (row_of[source], row_of[target], rank)
        for source, target, rank in OccupationMobility.objects.values_list("source_id", "target_id", "rank")
        if source in row_of and target in row_of and source != target
    ]
    rows, cols, ranks = zip(*edges, strict=True) if edges else ((), (), ())
    return sparse.csr_matrix(
        (np.array(ranks, dtype=np.int16), (np.array(rows, dtype=np.int32), np.array(cols, dtype=np.int32))),
        shape=(len(codes), len(codes)),
    )


def occupation_documents(codes):
    """Label, job title labels, definition and access of each occupation, as one text."""
    texts = {
        code: [label, definition, access]
        for code, label, definition, access in Occupation.objects.values_list(
            "code_rome", "label", "definition", "access"
        )
    }
    for code, label in JobTitle.objects.values_list("occupation_id", "label"):
        texts[code].append(label)
    return [" ".join(texts[code]) for code in codes]


def structure_similarity(codes):
    """1 within a professional domain (3 characters of the code), ``SAME_BROAD_DOMAIN`` within a broad one."""
    codes = np.asarray(codes)
    broad = np.array([c[:1] for c in codes])
    professional = np.array([c[:3] for c in codes])
    same_broad = (broad[:, None] == broad[None, :]).astype(np.float32)
    same_professional = (professional[:, None] == professional[None, :]).astype(np.float32)
    return np.maximum(same_professional, SAME_BROAD_DOMAIN * same_broad)


def blend(parts, weights=SIMILARITY_WEIGHTS):
    similarity = sum(weights[name] * parts[name] for name in weights if weights[name])
    np.fill_diagonal(similarity, 1.0)
    return similarity.astype(np.float32)


def similarity_parts(skills_idf, texts):
    """The three similarity matrices, before blending (the evaluation compares blends)."""
    skill_vectors = normalize(skills_idf)
    return {
        "skills": (skill_vectors @ skill_vectors.T).toarray(),
        "texts": (texts @ texts.T).toarray(),
    }


def build_space():
    """Reads the ROME tables (seven queries) and computes the space; about two seconds on the full ROME."""
    codes = np.array(sorted(Occupation.objects.values_list("code_rome", flat=True)))
    labels = dict(Occupation.objects.values_list("code_rome", "label"))
    skill_ids = np.array(sorted(Skill.objects.values_list("code_ogr", flat=True)), dtype=np.int64)
    links = np.array(
        list(Occupation.skills.through.objects.values_list("occupation_id", "skill_id")), dtype=object
    ).reshape(-1, 2)
    row_of = {code: i for i, code in enumerate(codes)}
    col_of = {code: i for i, code in enumerate(skill_ids)}
    rows = [row_of[o] for o in links[:, 0]]
    cols = [col_of[s] for s in links[:, 1]]
    skills = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(codes), len(skill_ids)))
    skills.sum_duplicates()
    skills.data[:] = 1.0
    transformer = TfidfTransformer(smooth_idf=True, norm=None).fit(skills)
    idf = transformer.idf_.astype(np.float32)
    weighted = skills.multiply(idf[None, :]).tocsr()
    vectorizer = text_vectorizer()
    texts = vectorizer.fit_transform(occupation_documents(codes)) if len(codes) else None
    parts = similarity_parts(weighted, texts) if len(codes) else {"skills": np.zeros((0, 0)), "texts": np.zeros((0, 0))}
    parts["structure"] = structure_similarity(codes)
    idf_totals = np.asarray(weighted.sum(axis=1)).ravel()
    shared = (skills @ weighted.T).toarray()
    coverage = np.divide(shared, idf_totals[None, :], out=np.zeros_like(shared), where=idf_totals[None, :] > 0)
    return OccupationSpace(
        codes=codes,
        labels=[labels[c] for c in codes],
        skill_ids=skill_ids,
        idf=idf,
        skills=skills,
        coverage=coverage.astype(np.float32),
        similarity=blend(parts),
        experts=expert_matrix(codes),
        vectorizer=vectorizer,
    )
