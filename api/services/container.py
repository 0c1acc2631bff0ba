"""The objects one running service is made of, wired once in the app's lifespan."""

from __future__ import annotations

from dataclasses import dataclass

from api.db.engine import Database
from api.services.ingest import IngestService
from api.services.jobs import ScanJobs, ScanWorker
from api.services.photo_store import PhotoStore
from api.services.pricing import Pricer
from api.services.registry import RegistryService
from api.services.scanning import Scanner, ScannerProvider
from api.settings import Settings


@dataclass(slots=True)
class AppServices:
    settings: Settings
    db: Database
    store: PhotoStore
    scanner: ScannerProvider
    jobs: ScanJobs
    worker: ScanWorker
    ingest: IngestService
    registry: RegistryService

    @classmethod
    def build(cls, settings: Settings, *, scanner: Scanner | None, pricer: Pricer) -> AppServices:
        db = Database(settings.database_url)
        store = PhotoStore(settings.photos_path)
        provider = ScannerProvider(model_dir=settings.model_dir, scanner=scanner)
        jobs = ScanJobs(
            db, store, provider, pricer, tax_year=settings.tax_year, max_pixels=settings.max_pixels
        )
        worker = ScanWorker(jobs, poll_s=settings.worker_poll_s)
        ingest = IngestService(
            db,
            store,
            max_upload_bytes=settings.max_upload_bytes,
            max_pixels=settings.max_pixels,
            on_queued=worker.notify,
        )
        registry = RegistryService(db, store, on_queued=worker.notify)
        return cls(settings, db, store, provider, jobs, worker, ingest, registry)
