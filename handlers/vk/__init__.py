"""The VK channel (vkbottle 4): citizens in community messages."""

from handlers.vk.channel import VKChannel

__all__ = ["VKChannel"]
