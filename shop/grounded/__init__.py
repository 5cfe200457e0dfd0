"""Grounded free-form answers: retrieve the shop's own passages, let a causal LM phrase an answer,
and send it only when every claim in it is backed by those passages.

passages   the knowledge base and the catalogue as retrievable passages
encoder    the sentence encoder (MiniLM, shipped by a PyPI package) and its embedding cache
retrieval  hybrid BM25 + embedding retrieval with a confidence score
safety     requests the assistant must refuse whatever the passages say (coupons, injections)
prompt     the prompt format shared by training and generation
lm         loading a causal LM and generating off the event loop with a timeout
guard      the claim checker: numbers, prices, durations, product names, policy words
answerer   the whole flow, with the fallbacks
build      the answerer assembled from shop.yml's ``generator:`` settings
chinese    Chinese questions: the same screen, BM25 over Chinese passages, the best one verbatim
corpus     training examples for the shop's own small GPT-2
train      ``python -m shop.grounded.train``: the tokenizer, the GPT-2 and the passage embeddings
"""
